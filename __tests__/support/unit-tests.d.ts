/** Jest's `--filter` API: keeps the test files that need no emulator, browser or process. */
declare function filter(testPaths: string[]): Promise<{ filtered: string[] }>;
declare namespace filter {
  /** A fresh classifier: for a test file, why it is not a unit test (empty when it is one). */
  function createClassifier(): (testFile: string) => string[];
  /** What a source file imports or names as a relative path: the edges the classifier follows. */
  function specifiersIn(source: string): string[];
}
export = filter;
