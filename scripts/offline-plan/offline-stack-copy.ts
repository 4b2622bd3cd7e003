import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ArchiveAttributes, archiveAttributes, readArchiveEntries, readArchiveFileSpec } from './archive-file';
import { archiveFileBlocks, offlineStackConfig, OfflineStackOptions, TerraformJson } from './offline-stack-config';
import { buildZip } from './zip';

export const STACK_FILE = 'cdk.tf.json';

/** One archive this script built in place of hashicorp/archive. */
export interface PrebuiltArchive {
  name: string;
  outputPath: string;
  size: number;
  base64sha256: string;
  entries: string[];
}

// State, lock and provider install of an earlier run in the synthesized dir are the user's;
// the copy starts without them.
function isUserTerraformFile(path: string): boolean {
  const name = basename(path);
  return name === '.terraform' || name === '.terraform.lock.hcl' || name.endsWith('.tfstate') || name.includes('.tfstate.');
}

function prebuildArchive(name: string, block: Record<string, unknown>, stackCopy: string): { archive: PrebuiltArchive; attributes: ArchiveAttributes } {
  const spec = readArchiveFileSpec(name, block);
  const entries = readArchiveEntries(spec, stackCopy);
  const zip = buildZip(entries);
  const target = resolve(stackCopy, spec.outputPath);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, zip);
  const attributes = archiveAttributes(spec, zip);
  return {
    archive: { name, outputPath: spec.outputPath, size: zip.length, base64sha256: String(attributes.output_base64sha256), entries: entries.map((entry) => entry.name) },
    attributes,
  };
}

/**
 * Copies a synthesized stack dir to `stackCopy` (replacing any earlier copy), builds its
 * archives there and rewrites its cdk.tf.json to plan offline. The synthesized dir is only read.
 */
export function prepareOfflineStack(stackDir: string, stackCopy: string, options: OfflineStackOptions = {}): PrebuiltArchive[] {
  rmSync(stackCopy, { recursive: true, force: true });
  cpSync(stackDir, stackCopy, { recursive: true, filter: (source) => !isUserTerraformFile(source) });
  const config = JSON.parse(readFileSync(join(stackCopy, STACK_FILE), 'utf8')) as TerraformJson;
  const built = Object.entries(archiveFileBlocks(config)).map(([name, block]) => prebuildArchive(name, block, stackCopy));
  const attributes = new Map(built.map(({ archive, attributes: values }) => [archive.name, values]));
  writeFileSync(join(stackCopy, STACK_FILE), `${JSON.stringify(offlineStackConfig(config, attributes, options), null, 2)}\n`);
  return built.map(({ archive }) => archive);
}
