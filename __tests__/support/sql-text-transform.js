// Jest's counterpart of esbuild's `text` loader for `.sql` imports: the file's text as the default export.
module.exports = {
  process(sourceText) {
    return { code: `module.exports = { __esModule: true, default: ${JSON.stringify(sourceText)} };` };
  },
};
