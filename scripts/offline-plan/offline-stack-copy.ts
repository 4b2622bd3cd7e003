import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ArchiveAttributes, archiveAttributes, readArchiveEntries, readArchiveFileSpec } from './archive-file';
import { archiveFileBlocks, offlineStackConfig, OfflineStackOptions, TerraformJson } from './offline-stack-config';
import { remoteStateInputs, standInState, standInStatePath } from './remote-state';
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

/** One remote state this script answered with a stand-in state file. */
export interface StandInRemoteState {
  /** The `data.terraform_remote_state` block. */
  name: string;
  /** The stack whose state it reads once deployed. */
  stackId: string;
  /** The stand-in, relative to the stack copy. */
  path: string;
  /** Each output of the stack this one reads, with the value standing in for it. */
  outputs: Record<string, string>;
}

export interface OfflineStackCopy {
  archives: PrebuiltArchive[];
  remoteStates: StandInRemoteState[];
}

/**
 * Writes a stand-in state file for every stack this one reads through cdktf's cross-stack
 * references, from that stack's synthesized outputs (a sibling of `stackDir`).
 */
function writeStandInStates(config: TerraformJson, stackDir: string, stackCopy: string): StandInRemoteState[] {
  const text = JSON.stringify(config);
  return remoteStateInputs(config).map(({ name, stackId }) => {
    const producerFile = join(dirname(stackDir), stackId, STACK_FILE);
    const producer = JSON.parse(readFileSync(producerFile, 'utf8')) as TerraformJson;
    const { state, outputs } = standInState(producer, stackId);
    const path = standInStatePath(stackId);
    mkdirSync(dirname(join(stackCopy, path)), { recursive: true });
    writeFileSync(join(stackCopy, path), `${JSON.stringify(state, null, 2)}\n`);
    const read = new Set([...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${name}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g'))].map((match) => match[1]));
    return { name, stackId, path, outputs: Object.fromEntries(Object.entries(outputs).filter(([output]) => read.has(output))) };
  });
}

/**
 * Copies a synthesized stack dir to `stackCopy` (replacing any earlier copy), builds its
 * archives there, writes stand-in state for the stacks it reads, and rewrites its cdk.tf.json
 * to plan offline. The synthesized dirs are only read.
 */
export function prepareOfflineStack(stackDir: string, stackCopy: string, options: OfflineStackOptions = {}): OfflineStackCopy {
  rmSync(stackCopy, { recursive: true, force: true });
  cpSync(stackDir, stackCopy, { recursive: true, filter: (source) => !isUserTerraformFile(source) });
  const config = JSON.parse(readFileSync(join(stackCopy, STACK_FILE), 'utf8')) as TerraformJson;
  const built = Object.entries(archiveFileBlocks(config)).map(([name, block]) => prebuildArchive(name, block, stackCopy));
  const attributes = new Map(built.map(({ archive, attributes: values }) => [archive.name, values]));
  const remoteStates = writeStandInStates(config, stackDir, stackCopy);
  writeFileSync(join(stackCopy, STACK_FILE), `${JSON.stringify(offlineStackConfig(config, attributes, options), null, 2)}\n`);
  return { archives: built.map(({ archive }) => archive), remoteStates };
}
