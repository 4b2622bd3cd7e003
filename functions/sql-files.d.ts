/** SQL files are bundled as text (esbuild's `text` loader; in tests, __tests__/support/sql-text-transform.js). */
declare module '*.sql' {
  const text: string;
  export default text;
}
