import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ZipEntry } from './zip';

/** What a `data.archive_file` block asks for, with `${path.module}` already evaluated. */
export interface ArchiveFileSpec {
  name: string;
  /** As Terraform evaluates it in the root module, e.g. `./lambda-zips/x.zip`. */
  outputPath: string;
  sourceFile?: string;
  sourceDir?: string;
  outputFileMode?: number;
  /** The block's own arguments, so references to them can be substituted too. */
  arguments: Record<string, string>;
}

/** Attribute values of a resolved archive, as `data.archive_file.<name>.<attribute>` would read them. */
export type ArchiveAttributes = Record<string, string | number>;

// Anything else (excludes, source blocks, source_content, meta-arguments) changes which bytes
// go in the zip; refusing it is safer than planning with a zip that differs from the real one.
const ARGUMENTS = ['type', 'output_path', 'source_file', 'source_dir', 'output_file_mode'];
const SUPPORTED_KEYS = new Set(['//', ...ARGUMENTS]); // "//" holds cdktf's metadata, a comment to Terraform

/** Root-module path references evaluate to "." (Terraform's own value), so paths stay relative to the stack dir. */
export function evaluateModulePath(value: string): string {
  const evaluated = value.replace(/\$\{path\.(module|root)\}/g, '.');
  if (evaluated.includes('${')) throw new Error(`cannot evaluate "${value}" offline: only \${path.module} and \${path.root} are supported`);
  return evaluated;
}

// Go's strconv.ParseUint with base 0, which the archive provider uses: "0644" is octal.
const MODE_FORMATS: [RegExp, number][] = [
  [/^0o([0-7]+)$/, 8],
  [/^0x([0-9a-f]+)$/, 16],
  [/^(0[0-7]*)$/, 8],
  [/^([1-9][0-9]*)$/, 10],
];

/** Parses an `output_file_mode` string the way the archive provider does. */
export function parseFileMode(value: string): number {
  const text = value.trim().toLowerCase();
  for (const [pattern, radix] of MODE_FORMATS) {
    const digits = pattern.exec(text)?.[1];
    if (digits === undefined) continue;
    const mode = parseInt(digits, radix);
    if (mode <= 0o7777) return mode;
  }
  throw new Error(`output_file_mode "${value}" is not a file mode`);
}

function stringArgument(name: string, block: Record<string, unknown>, key: string): string | undefined {
  const value = block[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`data.archive_file.${name}: ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Reads one `data.archive_file` block, refusing what this script cannot reproduce faithfully. */
export function readArchiveFileSpec(name: string, block: Record<string, unknown>): ArchiveFileSpec {
  const unsupported = Object.keys(block).filter((key) => !SUPPORTED_KEYS.has(key));
  if (unsupported.length > 0) throw new Error(`data.archive_file.${name}: cannot pre-resolve offline; unsupported arguments: ${unsupported.join(', ')}`);
  const type = stringArgument(name, block, 'type');
  if (type !== 'zip') throw new Error(`data.archive_file.${name}: only type "zip" is supported, got ${JSON.stringify(type)}`);
  const outputPath = stringArgument(name, block, 'output_path');
  if (outputPath === undefined) throw new Error(`data.archive_file.${name}: output_path is required`);
  const sourceFile = stringArgument(name, block, 'source_file');
  const sourceDir = stringArgument(name, block, 'source_dir');
  if ((sourceFile === undefined) === (sourceDir === undefined)) throw new Error(`data.archive_file.${name}: exactly one of source_file and source_dir is required`);
  const mode = stringArgument(name, block, 'output_file_mode');
  const args: Record<string, string> = {};
  for (const key of ARGUMENTS) {
    const value = stringArgument(name, block, key);
    if (value !== undefined) args[key] = evaluateModulePath(value);
  }
  return {
    name,
    outputPath: evaluateModulePath(outputPath),
    sourceFile: sourceFile === undefined ? undefined : evaluateModulePath(sourceFile),
    sourceDir: sourceDir === undefined ? undefined : evaluateModulePath(sourceDir),
    outputFileMode: mode === undefined ? undefined : parseFileMode(mode),
    arguments: args,
  };
}

function basename(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

function fileEntry(absolutePath: string, name: string, mode: number | undefined): ZipEntry {
  return { name, content: readFileSync(absolutePath), mode: mode ?? statSync(absolutePath).mode & 0o7777 };
}

// Mirrors Go's filepath.Walk, which the archive provider uses: names sorted per directory,
// files only (no directory entries), symlinks followed.
function walkFiles(dir: string, prefix: string, skip: string): { absolute: string; name: string }[] {
  const names = readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return names.flatMap((entryName) => {
    const absolute = join(dir, entryName);
    const name = prefix ? `${prefix}/${entryName}` : entryName;
    if (absolute === skip) return [];
    return statSync(absolute).isDirectory() ? walkFiles(absolute, name, skip) : [{ absolute, name }];
  });
}

/** The files to zip, read from disk; relative paths resolve against `baseDir`, as Terraform's cwd. */
export function readArchiveEntries(spec: ArchiveFileSpec, baseDir: string): ZipEntry[] {
  if (spec.sourceFile !== undefined) {
    return [fileEntry(resolve(baseDir, spec.sourceFile), basename(spec.sourceFile), spec.outputFileMode)];
  }
  const root = resolve(baseDir, spec.sourceDir ?? '.');
  const outputFile = resolve(baseDir, spec.outputPath);
  const files = walkFiles(root, '', outputFile);
  if (files.length === 0) throw new Error(`data.archive_file.${spec.name}: source_dir ${spec.sourceDir} has no files`);
  return files.map((file) => fileEntry(file.absolute, file.name, spec.outputFileMode));
}

function digest(algorithm: string, data: Buffer, encoding: 'hex' | 'base64'): string {
  return createHash(algorithm).update(data).digest(encoding);
}

/** Every attribute hashicorp/archive 2.7 sets on the data source, computed from our zip. */
export function archiveAttributes(spec: ArchiveFileSpec, zip: Buffer): ArchiveAttributes {
  const sha1 = digest('sha1', zip, 'hex');
  return {
    ...spec.arguments,
    id: sha1,
    output_path: spec.outputPath,
    output_size: zip.length,
    output_md5: digest('md5', zip, 'hex'),
    output_sha: sha1,
    output_sha256: digest('sha256', zip, 'hex'),
    output_base64sha256: digest('sha256', zip, 'base64'),
    output_sha512: digest('sha512', zip, 'hex'),
    output_base64sha512: digest('sha512', zip, 'base64'),
  };
}
