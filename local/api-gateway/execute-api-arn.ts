/**
 * execute-api ARNs as API Gateway names what is called: the method ARN a Lambda authorizer
 * receives and its policy must allow, and the source ARN a Lambda permission must match
 * when API Gateway invokes a function for a method or an authorizer.
 */

/** Where an API lives, for its ARNs. */
export interface ExecuteApiScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly stageName: string;
}

/**
 * `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<path>`: the path the
 * client asked for (after the stage, without its leading slash), not the resource path;
 * a permission written for `/users/{userId}` does not match `/users/42`.
 */
export function methodArn(api: ExecuteApiScope, httpMethod: string, requestPath: string): string {
  return `${executionArn(api)}/${api.stageName}/${httpMethod}/${requestPath.replace(/^\//, '')}`;
}

/** `arn:aws:execute-api:<region>:<account>:<api id>/authorizers/<authorizer id>`: the source of an authorizer's invocation. */
export function authorizerArn(api: ExecuteApiScope, authorizerId: string): string {
  return `${executionArn(api)}/authorizers/${authorizerId}`;
}

/** The request path after `/<stage>`, e.g. `/reports/42`; `/` for the stage's root. */
export function pathAfterStage(pathname: string, stageName: string): string {
  const prefix = `/${encodeURIComponent(stageName)}`;
  const rest = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : pathname;
  return rest === '' ? '/' : rest;
}

function executionArn(api: ExecuteApiScope): string {
  return `arn:${api.partition}:execute-api:${api.region}:${api.accountId}:${api.apiId}`;
}

/**
 * IAM's ArnLike: each of the six colon-separated parts compared on its own, `*` and `?`
 * wildcards within a part (the last part, the resource, keeps its colons and slashes).
 */
export function arnLike(pattern: string, arn: string): boolean {
  const patternParts = arnParts(pattern);
  const arnPartsOf = arnParts(arn);
  if (!patternParts || !arnPartsOf) return pattern === arn;
  return patternParts.every((part, index) => wildcardMatch(part, arnPartsOf[index]));
}

/** `*` matches any run of characters (slashes and colons too), `?` any one; everything else itself. */
export function wildcardMatch(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  const source = pattern
    .split('')
    .map((character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's').test(value);
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
