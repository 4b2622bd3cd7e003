export interface IncrementalBuild {
  /** Absolute path of the entry point. */
  entry: string;
  /** Absolute path of the single output file. */
  outfile: string;
  /** esbuild options other than entryPoints, outfile and metafile. */
  options: object;
  /** Where esbuild's relative input paths start (the project root). */
  root: string;
}
export function buildIfChanged(build: IncrementalBuild): boolean;
export function findProjectRoot(start: string): string;
