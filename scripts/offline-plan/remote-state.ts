import { createHash } from 'node:crypto';
import { TerraformJson } from './offline-stack-config';

/**
 * Cross-stack references offline. cdktf writes a reference to another stack's resource as a
 * `data.terraform_remote_state` in the consuming stack, reading an output the producing stack
 * declares. Offline there is no state to read (nothing is deployed), so each remote state is
 * pointed at a stand-in state file written next to the plan: the producer's outputs, each with
 * its configured value where the producer sets one, else a placeholder shaped like the real
 * value (an ARN like an ARN, an id like an id), so that the plan validates what it can.
 */

type JsonObject = Record<string, unknown>;

/** cdktf names each remote state after the stack it reads. */
const INPUT_PREFIX = 'cross-stack-reference-input-';
/** Where the stand-in state files go, relative to the stack copy. */
export const STAND_IN_STATE_DIR = 'remote-state';
/** The account placeholder ARNs name: AWS's own documentation account, never a real one. */
export const PLACEHOLDER_ACCOUNT = '123456789012';

const REFERENCE = /\$\{([^{}]+)\}/g;
const RESOURCE_ATTRIBUTE = /^(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One `data.terraform_remote_state` of a stack, and the stack it reads. */
export interface RemoteStateInput {
  readonly name: string;
  readonly stackId: string;
}

export function remoteStateInputs(config: TerraformJson): RemoteStateInput[] {
  const data = isObject(config.data) ? config.data : {};
  const blocks = isObject(data.terraform_remote_state) ? data.terraform_remote_state : {};
  return Object.keys(blocks).map((name) => {
    if (!name.startsWith(INPUT_PREFIX)) throw new Error(`data.terraform_remote_state.${name} was not written by cdktf: cannot tell which stack it reads`);
    return { name, stackId: name.slice(INPUT_PREFIX.length) };
  });
}

/** The stand-in's path for a producer, relative to the stack copy (Terraform's working directory). */
export function standInStatePath(stackId: string): string {
  return `${STAND_IN_STATE_DIR}/${stackId}.tfstate`;
}

/** Every remote state read from its stand-in file instead of the real backend (local or S3). */
export function withStandInRemoteState(config: TerraformJson): TerraformJson {
  const inputs = remoteStateInputs(config);
  if (inputs.length === 0) return config;
  const copy = structuredClone(config);
  const blocks = (copy.data as JsonObject).terraform_remote_state as JsonObject;
  for (const { name, stackId } of inputs) blocks[name] = { backend: 'local', config: { path: standInStatePath(stackId) } };
  return copy;
}

/** A value as it may stand in for `<type>.<name>.<attribute>` of the producer after apply. */
export function placeholderAttribute(type: string, name: string, attribute: string, region: string): string {
  const label = `offline-${name.replace(/[^A-Za-z0-9]/g, '').toLowerCase().slice(0, 20)}`;
  switch (`${type}.${attribute}`) {
    case 'aws_cognito_user_pool.id':
      return `${region}_OfflinePlan`;
    case 'aws_cognito_user_pool.arn':
      return `arn:aws:cognito-idp:${region}:${PLACEHOLDER_ACCOUNT}:userpool/${region}_OfflinePlan`;
    case 'aws_cognito_user_pool.endpoint':
      return `cognito-idp.${region}.amazonaws.com/${region}_OfflinePlan`;
    case 'aws_api_gateway_rest_api.id':
      // Ten lowercase letters and digits, as API Gateway's ids, one per API.
      return createHash('sha1').update(name).digest('hex').slice(0, 10);
    case 'aws_s3_bucket.id':
    case 'aws_s3_bucket.bucket':
      return label;
    case 'aws_s3_bucket.arn':
      return `arn:aws:s3:::${label}`;
  }
  const service = type.replace(/^aws_/, '').split('_')[0];
  if (attribute === 'arn') return `arn:aws:${service}:${region}:${PLACEHOLDER_ACCOUNT}:${label}`;
  return label;
}

function resourceConfig(producer: TerraformJson, type: string, name: string): JsonObject | undefined {
  const resources = isObject(producer.resource) ? producer.resource : {};
  const ofType = resources[type];
  return isObject(ofType) && isObject(ofType[name]) ? ofType[name] : undefined;
}

/** The producer's own value for a reference: what it configures, or a placeholder for what AWS computes. */
function referenceValue(producer: TerraformJson, expression: string, region: string, seen: Set<string>): string {
  const reference = RESOURCE_ATTRIBUTE.exec(expression.trim());
  if (!reference) throw new Error(`cannot stand in for the output expression \${${expression}} offline`);
  const [, type, name, attribute] = reference;
  const configured = resourceConfig(producer, type, name)?.[attribute];
  // A configured argument is known at plan time; one built of other references is resolved through them.
  if ((typeof configured === 'string' || typeof configured === 'number') && !seen.has(expression)) {
    if (typeof configured === 'number') return String(configured);
    if (!/\$\{[^}]*\(/.test(configured)) return resolveOutputValue(producer, configured, region, new Set([...seen, expression]));
  }
  return placeholderAttribute(type, name, attribute, region);
}

function resolveOutputValue(producer: TerraformJson, value: string, region: string, seen = new Set<string>()): string {
  return value.replace(REFERENCE, (_match, expression: string) => referenceValue(producer, expression, region, seen));
}

/** The region of a stack's (first) aws provider. */
export function providerRegion(config: TerraformJson): string {
  const providers = isObject(config.provider) ? config.provider : {};
  const aws = Array.isArray(providers.aws) ? providers.aws : [];
  const region = isObject(aws[0]) ? aws[0].region : undefined;
  return typeof region === 'string' ? region : 'us-east-1';
}

export interface StandInState {
  /** Terraform's state format, version 4, with outputs only. */
  readonly state: JsonObject;
  /** Each output and the value standing in for it. */
  readonly outputs: Record<string, string>;
}

/** A state file of `producer` with every output it declares, valued as offline allows. */
export function standInState(producer: TerraformJson, stackId: string): StandInState {
  const region = providerRegion(producer);
  const declared = isObject(producer.output) ? producer.output : {};
  const outputs: Record<string, string> = {};
  const stateOutputs: JsonObject = {};
  for (const [name, output] of Object.entries(declared)) {
    const value = isObject(output) ? output.value : undefined;
    if (typeof value !== 'string') throw new Error(`${stackId} output ${name}: only string outputs can stand in offline, got ${JSON.stringify(value)}`);
    outputs[name] = resolveOutputValue(producer, value, region);
    stateOutputs[name] = { value: outputs[name], type: 'string', sensitive: isObject(output) && output.sensitive === true };
  }
  return {
    state: { version: 4, terraform_version: '1.11.0', serial: 1, lineage: `offline-plan-stand-in-${stackId}`, outputs: stateOutputs, resources: [], check_results: null },
    outputs,
  };
}
