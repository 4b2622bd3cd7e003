/**
 * Reads a stack's `aws_cloudfront_distribution` into what the local CloudFront serves:
 * its cache behaviours in CloudFront's order (the ordered ones as listed, then the
 * default), each with its origin, allowed methods, viewer-request CloudFront Function and
 * response headers policy, all taken from the synthesized stack. What it cannot serve the
 * same way here is refused by name when it is read: Lambda@Edge, function events other
 * than viewer-request, origin groups, an origin that is neither the stack's own bucket
 * (through origin access control) nor a REST API's execute-api domain, a managed
 * response headers policy, custom error responses.
 */
import type { ResourceConfig, SynthesizedStack } from '../stack/synthesized-stack';
import { CloudFrontFunction } from './cloudfront-function';
import { pathPatternMatcher } from './path-pattern';
import { readResponseHeadersPolicy, type ResponseHeadersPolicy } from './response-headers-policy';

export interface BucketOrigin {
  readonly kind: 'bucket';
  readonly id: string;
  /** The Terraform name of the stack's aws_s3_bucket it serves. */
  readonly bucket: string;
  readonly originPath: string;
}

export interface ApiOrigin {
  readonly kind: 'api';
  readonly id: string;
  /** The origin's domain, resolved (`<api id>.execute-api.<region>.amazonaws.com`). */
  readonly domain: string;
  readonly originPath: string;
}

export type Origin = BucketOrigin | ApiOrigin;

export interface CacheBehaviour {
  /** Undefined for the default behaviour. */
  readonly pathPattern?: string;
  readonly matches: (path: string) => boolean;
  readonly origin: Origin;
  readonly allowedMethods: readonly string[];
  readonly viewerRequest?: CloudFrontFunction;
  readonly responseHeaders?: ResponseHeadersPolicy;
}

export interface DistributionDefinition {
  readonly name: string;
  readonly defaultRootObject?: string;
  /** In the order CloudFront tries them: the default behaviour last. */
  readonly behaviours: readonly CacheBehaviour[];
}

type Block = Record<string, unknown>;

const REFERENCE_TO = (type: string, attribute: string) => new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.${attribute}\\}$`);
const FUNCTION_ARN = REFERENCE_TO('aws_cloudfront_function', 'arn');
const HEADERS_POLICY_ID = REFERENCE_TO('aws_cloudfront_response_headers_policy', 'id');
const BUCKET_DOMAIN = REFERENCE_TO('aws_s3_bucket', '(?:bucket_regional_domain_name|bucket_domain_name)');
const EXECUTE_API = /^[^/]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/;

function blocks(value: unknown): Block[] {
  if (Array.isArray(value)) return value as Block[];
  return value !== null && typeof value === 'object' ? [value as Block] : [];
}

/**
 * @param name the distribution's Terraform name; required when the stack has several
 * @param text resolves a string of the stack to its local value, AWS URLs mapped (for headers)
 */
export function readDistribution(
  stack: SynthesizedStack,
  resolve: (value: string) => string,
  text: (value: string) => string,
  name?: string,
): DistributionDefinition {
  const all = Object.keys(stack.resources('aws_cloudfront_distribution'));
  const distributionName = name ?? (all.length === 1 ? all[0] : undefined);
  if (distributionName === undefined) throw new Error(`Name the distribution to serve: the stack has ${all.length === 0 ? 'none' : all.join(', ')}.`);
  const config = stack.resource('aws_cloudfront_distribution', distributionName);
  const where = `CloudFront distribution ${distributionName}`;
  for (const unsupported of ['origin_group', 'custom_error_response']) {
    if (blocks(config[unsupported]).length > 0) throw new Error(`${where}: ${unsupported} is not supported locally.`);
  }

  const origins = new Map(blocks(config.origin).map((origin) => [String(origin.origin_id), readOrigin(origin, resolve, where)]));
  const functions = new Map<string, CloudFrontFunction>();
  const policies = new Map<string, ResponseHeadersPolicy>();
  const behaviour = (settings: Block, pathPattern?: string): CacheBehaviour => {
    const label = `${where}, behaviour ${pathPattern ?? '(default)'}`;
    const origin = origins.get(String(settings.target_origin_id));
    if (!origin) throw new Error(`${label}: no origin has the id ${String(settings.target_origin_id)}.`);
    if (blocks(settings.lambda_function_association).length > 0) throw new Error(`${label}: Lambda@Edge is not supported locally.`);
    let viewerRequest: CloudFrontFunction | undefined;
    for (const association of blocks(settings.function_association)) {
      if (association.event_type !== 'viewer-request') throw new Error(`${label}: a ${String(association.event_type)} function is not supported locally (viewer-request only).`);
      const functionName = FUNCTION_ARN.exec(String(association.function_arn))?.[1];
      if (functionName === undefined) throw new Error(`${label}: the function ${String(association.function_arn)} is not one of the stack's aws_cloudfront_function.`);
      viewerRequest = functions.get(functionName) ?? loadFunction(stack, functionName);
      functions.set(functionName, viewerRequest);
    }
    let responseHeaders: ResponseHeadersPolicy | undefined;
    if (settings.response_headers_policy_id !== undefined) {
      const policyName = HEADERS_POLICY_ID.exec(String(settings.response_headers_policy_id))?.[1];
      if (policyName === undefined) {
        throw new Error(`${label}: response headers policy ${String(settings.response_headers_policy_id)} is not the stack's own (a managed policy is not supported locally).`);
      }
      responseHeaders = policies.get(policyName) ?? readResponseHeadersPolicy(stack.resource('aws_cloudfront_response_headers_policy', policyName), text);
      policies.set(policyName, responseHeaders);
    }
    return {
      pathPattern,
      matches: pathPattern === undefined ? () => true : pathPatternMatcher(pathPattern),
      origin,
      allowedMethods: ((settings.allowed_methods ?? ['GET', 'HEAD']) as string[]).map((method) => method.toUpperCase()),
      viewerRequest,
      responseHeaders,
    };
  };

  const ordered = blocks(config.ordered_cache_behavior).map((settings) => behaviour(settings, String(settings.path_pattern)));
  const [defaultSettings] = blocks(config.default_cache_behavior);
  if (!defaultSettings) throw new Error(`${where} has no default_cache_behavior.`);
  return {
    name: distributionName,
    defaultRootObject: typeof config.default_root_object === 'string' && config.default_root_object !== '' ? config.default_root_object : undefined,
    behaviours: [...ordered, behaviour(defaultSettings)],
  };
}

function readOrigin(origin: Block, resolve: (value: string) => string, where: string): Origin {
  const id = String(origin.origin_id);
  const originPath = typeof origin.origin_path === 'string' ? resolve(origin.origin_path) : '';
  const domainName = String(origin.domain_name);
  const bucket = BUCKET_DOMAIN.exec(domainName)?.[1];
  if (bucket !== undefined) {
    if (blocks(origin.custom_origin_config).length > 0) throw new Error(`${where}: origin ${id} serves a bucket as a custom (website) origin, which is not supported locally.`);
    if (origin.origin_access_control_id === undefined) throw new Error(`${where}: origin ${id} reaches its bucket without origin access control, which is not supported locally.`);
    return { kind: 'bucket', id, bucket, originPath };
  }
  const domain = resolve(domainName);
  if (blocks(origin.custom_origin_config).length > 0 && EXECUTE_API.test(domain)) return { kind: 'api', id, domain, originPath };
  throw new Error(`${where}: origin ${id} (${domain}) is neither the stack's bucket through origin access control nor a REST API's execute-api domain; it cannot be served locally.`);
}

function loadFunction(stack: SynthesizedStack, name: string): CloudFrontFunction {
  const config: ResourceConfig = stack.resource('aws_cloudfront_function', name);
  return new CloudFrontFunction(String(config.name ?? name), String(config.code), String(config.runtime));
}
