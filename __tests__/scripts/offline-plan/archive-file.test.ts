import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveAttributes, evaluateModulePath, parseFileMode, readArchiveEntries, readArchiveFileSpec } from '../../../scripts/offline-plan/archive-file';
import { zipSingleFile } from '../../../scripts/offline-plan/zip';

// The shape cdktf synthesizes for a NodejsFunction's archive (see cdktf.out/stacks/orders-pipeline).
const SYNTHESIZED_BLOCK = {
  '//': { metadata: { path: 'orders-pipeline/store-order/archive', uniqueId: 'store-order_archive_7EB72649' } },
  output_file_mode: '0644',
  output_path: '${path.module}/lambda-zips/dev-POC-Lambda-1.zip',
  source_file: 'assets/store-order_bundle_06B033CA/B374F723853C71E4AEF1D22B037F8B80/index.js',
  type: 'zip',
};

describe('reading a data.archive_file block', () => {
  it('evaluates ${path.module} as Terraform does in the root module and parses the mode as octal', () => {
    expect(readArchiveFileSpec('store-order_archive_7EB72649', SYNTHESIZED_BLOCK)).toEqual({
      name: 'store-order_archive_7EB72649',
      outputPath: './lambda-zips/dev-POC-Lambda-1.zip',
      sourceFile: SYNTHESIZED_BLOCK.source_file,
      sourceDir: undefined,
      outputFileMode: 0o644,
      arguments: { type: 'zip', output_path: './lambda-zips/dev-POC-Lambda-1.zip', source_file: SYNTHESIZED_BLOCK.source_file, output_file_mode: '0644' },
    });
  });

  it('refuses what would change the zip, rather than plan with a different one', () => {
    expect(() => readArchiveFileSpec('x', { ...SYNTHESIZED_BLOCK, excludes: ['*.map'] })).toThrow('unsupported arguments: excludes');
    expect(() => readArchiveFileSpec('x', { ...SYNTHESIZED_BLOCK, source_dir: 'src' })).toThrow('exactly one of source_file and source_dir');
    expect(() => readArchiveFileSpec('x', { ...SYNTHESIZED_BLOCK, type: 'tar.gz' })).toThrow('only type "zip"');
    expect(() => readArchiveFileSpec('x', { ...SYNTHESIZED_BLOCK, output_path: '${var.out}/x.zip' })).toThrow('cannot evaluate');
  });

  it('parses file modes like Go strconv.ParseUint with base 0', () => {
    expect(parseFileMode('0644')).toBe(0o644);
    expect(parseFileMode('0o755')).toBe(0o755);
    expect(parseFileMode('420')).toBe(0o644);
    expect(() => parseFileMode('rw-r--r--')).toThrow('not a file mode');
    expect(() => parseFileMode('0999')).toThrow('not a file mode');
  });

  it('leaves paths without references alone', () => {
    expect(evaluateModulePath('assets/x/index.js')).toBe('assets/x/index.js');
    expect(evaluateModulePath('${path.root}/a/${path.module}/b')).toBe('./a/./b');
  });
});

describe('reading the files to archive', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'archive-file-'));
    mkdirSync(join(dir, 'assets', 'bundle', 'lib'), { recursive: true });
    mkdirSync(join(dir, 'assets', 'bundle', 'lib-b'), { recursive: true });
    writeFileSync(join(dir, 'assets', 'bundle', 'index.js'), 'handler');
    writeFileSync(join(dir, 'assets', 'bundle', 'lib', 'a.js'), 'a');
    writeFileSync(join(dir, 'assets', 'bundle', 'lib-b', 'b.js'), 'b');
    writeFileSync(join(dir, 'assets', 'bundle', 'out.zip'), 'an earlier output');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a source_file entry by the file basename, with output_file_mode', () => {
    const spec = readArchiveFileSpec('x', { type: 'zip', output_path: 'out.zip', source_file: 'assets/bundle/index.js', output_file_mode: '0640' });
    expect(readArchiveEntries(spec, dir)).toEqual([{ name: 'index.js', content: Buffer.from('handler'), mode: 0o640 }]);
  });

  it('walks a source_dir like Go filepath.Walk: sorted per directory, files only, without the output itself', () => {
    const spec = readArchiveFileSpec('x', { type: 'zip', output_path: 'assets/bundle/out.zip', source_dir: '${path.module}/assets/bundle', output_file_mode: '0644' });
    // "lib" sorts before "lib-b" as a directory name, although "lib-b/" < "lib/" as a full path.
    expect(readArchiveEntries(spec, dir).map((entry) => entry.name)).toEqual(['index.js', 'lib/a.js', 'lib-b/b.js']);
  });
});

describe('archive attributes', () => {
  it('are the hashes and size of the zip built, with id the SHA-1 like hashicorp/archive', () => {
    const zip = zipSingleFile('index.js', Buffer.from('handler'));
    const attributes = archiveAttributes(readArchiveFileSpec('x', SYNTHESIZED_BLOCK), zip);
    const hash = (algorithm: string, encoding: 'hex' | 'base64') => createHash(algorithm).update(zip).digest(encoding);
    expect(attributes).toMatchObject({
      id: hash('sha1', 'hex'),
      output_path: './lambda-zips/dev-POC-Lambda-1.zip',
      output_size: zip.length,
      output_md5: hash('md5', 'hex'),
      output_sha: hash('sha1', 'hex'),
      output_sha256: hash('sha256', 'hex'),
      output_base64sha256: hash('sha256', 'base64'),
      output_sha512: hash('sha512', 'hex'),
      output_base64sha512: hash('sha512', 'base64'),
      source_file: SYNTHESIZED_BLOCK.source_file,
      output_file_mode: '0644',
    });
  });
});
