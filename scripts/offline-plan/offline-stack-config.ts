import { ArchiveAttributes } from './archive-file';
import { withStandInRemoteState } from './remote-state';

/** Synthesized Terraform JSON (cdk.tf.json). */
export type TerraformJson = Record<string, unknown>;
type JsonObject = Record<string, unknown>;

/**
 * Offline stand-ins for the aws provider: static fake keys, and every check that would call
 * AWS (STS for the account id and credentials, the EC2 metadata service) turned off.
 */
export const OFFLINE_AWS_PROVIDER_SETTINGS: Readonly<JsonObject> = {
  access_key: 'offline-plan',
  secret_key: 'offline-plan',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  // A string in provider 5.x's schema ("true"/"false"), unlike its boolean siblings.
  skip_metadata_api_check: 'true',
  skip_region_validation: true,
};

// Settings that would make the provider fetch real credentials (profiles, role assumption)
// and so reach the network even with static keys present.
const CREDENTIAL_SOURCES = ['profile', 'token', 'assume_role', 'assume_role_with_web_identity', 'shared_config_files', 'shared_credentials_files'];

const REFERENCE = /\bdata\.archive_file\.([A-Za-z_][\w-]*)\.([A-Za-z_]\w*)\b/g;
const WHOLE_REFERENCE = /^\$\{data\.archive_file\.([A-Za-z_][\w-]*)\.([A-Za-z_]\w*)\}$/;
const ANY_ARCHIVE_REFERENCE = /\bdata\.archive_file\b/;
const ARCHIVE_ADDRESS = /^data\.archive_file\.([A-Za-z_][\w-]*)$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(parent: JsonObject, key: string): JsonObject | undefined {
  const value = parent[key];
  return isObject(value) ? value : undefined;
}

/** The `data.archive_file` blocks of a stack, by name. */
export function archiveFileBlocks(config: TerraformJson): Record<string, JsonObject> {
  const blocks = child(child(config, 'data') ?? {}, 'archive_file') ?? {};
  return Object.fromEntries(Object.entries(blocks).filter((entry): entry is [string, JsonObject] => isObject(entry[1])));
}

function attributeValue(archives: ReadonlyMap<string, ArchiveAttributes>, name: string, attribute: string): string | number {
  const attributes = archives.get(name);
  if (!attributes) throw new Error(`data.archive_file.${name} is referenced but was not resolved`);
  const value = attributes[attribute];
  if (value === undefined) throw new Error(`data.archive_file.${name}.${attribute}: the archive provider has no such attribute that this script knows`);
  return value;
}

// In Terraform's JSON syntax every string is a template, so literal text must escape "${" and "%{".
function templateLiteral(value: string): string {
  // A function replacer: in a replacement string "$$" would mean a single "$".
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{');
}

function hclStringLiteral(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `"${templateLiteral(escaped)}"`;
}

/**
 * Replaces references in one string. A string that is exactly one reference becomes the value
 * itself; a reference inside a larger expression becomes an HCL literal, so the expression stays valid.
 */
export function substituteInString(text: string, archives: ReadonlyMap<string, ArchiveAttributes>): string | number {
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) {
    const value = attributeValue(archives, whole[1], whole[2]);
    return typeof value === 'number' ? value : templateLiteral(value);
  }
  const substituted = text.replace(REFERENCE, (_match, name: string, attribute: string) => hclStringLiteral(attributeValue(archives, name, attribute)));
  if (ANY_ARCHIVE_REFERENCE.test(substituted)) throw new Error(`cannot substitute this reference to data.archive_file offline: ${JSON.stringify(text)}`);
  return substituted;
}

// depends_on on a resolved archive only ordered reads of a file that now already exists.
function withoutArchiveDependencies(list: unknown[], archives: ReadonlyMap<string, ArchiveAttributes>): unknown[] {
  return list.filter((item) => {
    const address = typeof item === 'string' ? ARCHIVE_ADDRESS.exec(item) : null;
    return !(address && archives.has(address[1]));
  });
}

/** Deep copy of `value` with every reference to a resolved archive replaced by its value. */
export function substituteArchiveReferences(value: unknown, archives: ReadonlyMap<string, ArchiveAttributes>): unknown {
  if (typeof value === 'string') return substituteInString(value, archives);
  if (Array.isArray(value)) return value.map((item) => substituteArchiveReferences(item, archives));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const kept = key === 'depends_on' && Array.isArray(item) ? withoutArchiveDependencies(item, archives) : item;
      return [key, substituteArchiveReferences(kept, archives)];
    }),
  );
}

function deleteIfEmpty(parent: JsonObject, key: string): void {
  const value = parent[key];
  if (isObject(value) && Object.keys(value).length === 0) delete parent[key];
}

function removeArchiveDataSources(config: JsonObject): void {
  const data = child(config, 'data');
  if (!data) return;
  delete data.archive_file;
  deleteIfEmpty(config, 'data');
}

// Nothing needs hashicorp/archive once its data sources are resolved, and it is not in the mirror.
function removeArchiveProvider(config: JsonObject): void {
  const providers = child(config, 'provider');
  if (providers) {
    delete providers.archive;
    deleteIfEmpty(config, 'provider');
  }
  const requiredProviders = child(child(config, 'terraform') ?? {}, 'required_providers');
  if (requiredProviders) delete requiredProviders.archive;
  assertNoArchiveUse(config);
}

function assertNoArchiveUse(config: JsonObject): void {
  const leftovers = ['resource', 'data'].flatMap((kind) => Object.keys(child(config, kind) ?? {}).filter((type) => type.startsWith('archive_')).map((type) => `${kind}.${type}`));
  if (leftovers.length > 0) throw new Error(`uses hashicorp/archive beyond data.archive_file (${leftovers.join(', ')}); that provider is not available offline`);
}

// The plan must start from an empty state and never touch the user's real state or lock.
function removeBackend(config: JsonObject): void {
  const terraform = child(config, 'terraform');
  if (!terraform) return;
  delete terraform.backend;
  delete terraform.cloud;
}

function makeAwsProviderOffline(config: JsonObject): void {
  const providers = child(config, 'provider') ?? {};
  const configured = Array.isArray(providers.aws) ? providers.aws.filter(isObject) : [];
  // Without a provider block Terraform would still configure aws (empty), so give it one.
  const blocks = configured.length > 0 ? configured : [{}];
  providers.aws = blocks.map((block) => {
    const offline: JsonObject = { ...block, ...OFFLINE_AWS_PROVIDER_SETTINGS };
    for (const key of CREDENTIAL_SOURCES) delete offline[key];
    return offline;
  });
  config.provider = providers;
}

export interface OfflineStackOptions {
  /**
   * Keeps the stack's backend block, for `terraform init -backend=false` and `validate` of a
   * stack synthesized with STATE_BUCKET; a plan needs it removed. @default false
   */
  readonly keepBackend?: boolean;
}

/**
 * The stack's Terraform JSON rewritten to plan offline: archive data sources replaced by the
 * values in `archives`, no archive provider, no backend, an aws provider with fake credentials,
 * and every remote state (another stack's outputs) read from its stand-in file (remote-state.ts).
 */
export function offlineStackConfig(config: TerraformJson, archives: ReadonlyMap<string, ArchiveAttributes>, options: OfflineStackOptions = {}): TerraformJson {
  const missing = Object.keys(archiveFileBlocks(config)).filter((name) => !archives.has(name));
  if (missing.length > 0) throw new Error(`data.archive_file not resolved: ${missing.join(', ')}`);
  const copy = structuredClone(config);
  removeArchiveDataSources(copy);
  const rewritten = substituteArchiveReferences(copy, archives) as JsonObject;
  removeArchiveProvider(rewritten);
  if (!options.keepBackend) removeBackend(rewritten);
  makeAwsProviderOffline(rewritten);
  return withStandInRemoteState(rewritten);
}
