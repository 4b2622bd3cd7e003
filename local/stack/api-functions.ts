/**
 * The functions a stack's REST APIs invoke: the targets of its Lambda proxy integrations
 * and its Lambda authorizers, read from the invoke URIs they name.
 */
import { functionArnOfInvokeUri } from '../api-gateway/lambda-invocation';
import type { SynthesizedStack } from './synthesized-stack';

export interface ApiFunction {
  readonly functionArn: string;
  /** What invokes it, in words, e.g. `REST API GET /uploads/{uploadId} (Lambda proxy)`. */
  readonly trigger: string;
}

/** A uri the resolver cannot resolve is left out: the API answers 500 for it when called. */
export function apiFunctions(stack: SynthesizedStack, resolve: (value: string) => string): ApiFunction[] {
  const found: ApiFunction[] = [];
  const add = (uri: unknown, trigger: string) => {
    let functionArn: string | undefined;
    try {
      functionArn = typeof uri === 'string' ? functionArnOfInvokeUri(resolve(uri)) : undefined;
    } catch {
      functionArn = undefined;
    }
    if (functionArn !== undefined) found.push({ functionArn, trigger });
  };
  for (const config of Object.values(stack.resources('aws_api_gateway_integration'))) {
    if (config.type !== 'AWS_PROXY') continue;
    add(config.uri, `REST API ${configured(stack, config.http_method)} ${resourcePath(stack, config.resource_id)} (Lambda proxy)`);
  }
  for (const config of Object.values(stack.resources('aws_api_gateway_authorizer'))) {
    add(config.authorizer_uri, `REST API authorizer ${String(config.name)} (${String(config.type ?? 'TOKEN')})`);
  }
  return found;
}

/** A resource's whole path, e.g. `/uploads/{uploadId}`, from its parents up to the API's root. */
function resourcePath(stack: SynthesizedStack, resourceId: unknown): string {
  const resource = /^\$\{aws_api_gateway_resource\.([^.]+)\.id\}$/.exec(configured(stack, resourceId))?.[1];
  if (resource === undefined) return '/';
  const config = stack.resource('aws_api_gateway_resource', resource);
  const parent = resourcePath(stack, config.parent_id);
  return `${parent === '/' ? '' : parent}/${configured(stack, config.path_part)}`;
}

/** A value, following references to another API Gateway resource's configured attribute (e.g. a method's http_method). */
function configured(stack: SynthesizedStack, value: unknown): string {
  const reference = typeof value === 'string' ? /^\$\{(aws_api_gateway_[a-z_]+)\.([^.]+)\.([a-z_]+)\}$/.exec(value) : null;
  if (reference && reference[3] !== 'id') {
    const [, type, name, attribute] = reference;
    return configured(stack, stack.resource(type, name)[attribute]);
  }
  return String(value ?? '');
}
