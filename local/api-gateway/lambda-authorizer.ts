import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { decide, readPolicyDocument, type PolicyStatement } from './authorizer-policy';
import { authorizerArn, methodArn, pathAfterStage } from './execute-api-arn';
import { GatewayError } from './gateway-responses';
import { identitySourceToken } from './identity-source';
import { callFunction, functionArnOfInvokeUri, mayInvoke, type LambdaInvoker } from './lambda-invocation';
import { API_GATEWAY_PRINCIPAL, type LambdaPermission } from './lambda-permissions';
import type { MethodRequest } from './method-request';
import type { AuthorizerResult, RoutedContext } from './request-context';
import type { ApiAuthorizer, RestApiDefinition } from './rest-api-definition';

/**
 * Lambda authorizers of type TOKEN, run as API Gateway runs them: no token (or one the
 * identity_validation_expression refuses) is 401 without calling the function; the
 * function gets `{ type: 'TOKEN', authorizationToken, methodArn }`; its "Unauthorized"
 * error is 401; its policy is judged for the method ARN (explicit deny and no allow are
 * both 403, with API Gateway's two sentences); an error, a timeout, a malformed answer
 * or a missing permission is 500 `{"message":null}`. An answer is cached per token for
 * the authorizer's TTL and judged afresh for each method ARN, as API Gateway caches it.
 */
export interface LambdaAuthorizerDependencies {
  readonly api: RestApiDefinition;
  readonly invoke?: LambdaInvoker;
  readonly permissions: readonly LambdaPermission[];
  /** @default Date.now */
  readonly now?: () => number;
}

/** What a function answered, as kept in the cache. */
interface AuthorizerAnswer {
  readonly principalId: string;
  readonly context: Readonly<Record<string, string | null>>;
  readonly statements: readonly PolicyStatement[];
}

/** How long API Gateway waits for an authorizer function. */
const AUTHORIZER_TIMEOUT_MS = 29_000;

export const EXPLICIT_DENY = 'User is not authorized to access this resource with an explicit deny in an identity-based policy';
export const NO_ALLOW = 'User is not authorized to access this resource because no identity-based policy allows the execute-api:Invoke action';

export class LambdaTokenAuthorizers {
  private readonly cache = new Map<string, { readonly answer: AuthorizerAnswer; readonly expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly dependencies: LambdaAuthorizerDependencies) {
    this.now = dependencies.now ?? Date.now;
  }

  /**
   * @param unsupported the refusal for what the local API Gateway cannot do
   * @throws GatewayError UNAUTHORIZED, ACCESS_DENIED or AUTHORIZER_CONFIGURATION_ERROR
   */
  async authorize(
    authorizer: ApiAuthorizer,
    request: MethodRequest,
    context: RoutedContext,
    where: string,
    unsupported: (reason: string) => GatewayError,
  ): Promise<AuthorizerResult> {
    const { api } = this.dependencies;
    const functionArn = functionArnOfInvokeUri(authorizer.uri);
    if (functionArn === undefined) {
      throw unsupported(`has the Lambda authorizer ${authorizer.name} whose authorizer_uri ${authorizer.uri ?? '(none)'} names no local function`);
    }
    if (!this.dependencies.invoke) throw unsupported(`has the Lambda authorizer ${authorizer.name}, and no Lambda invoker was given: pass lambda to startRestApi`);

    const token = identitySourceToken(authorizer, request, where);
    if (token === undefined) throw new GatewayError('UNAUTHORIZED');
    const arn = methodArn(api, context.httpMethod, pathAfterStage(context.path, api.stageName));

    const key = `${authorizer.terraformName}\n${token}`;
    const cached = this.cache.get(key);
    let answer: AuthorizerAnswer;
    let latencyMs = 0;
    if (cached && cached.expiresAt > this.now()) {
      answer = cached.answer;
    } else {
      this.cache.delete(key);
      ({ answer, latencyMs } = await this.invoke(authorizer, functionArn, token, arn, where));
      if (authorizer.resultTtlSeconds > 0) this.cache.set(key, { answer, expiresAt: this.now() + authorizer.resultTtlSeconds * 1000 });
    }

    const decision = decide(answer.statements, arn);
    if (decision !== 'allow') {
      throw new GatewayError('ACCESS_DENIED', decision === 'explicit-deny' ? EXPLICIT_DENY : NO_ALLOW, {
        log: `${where}: the policy of authorizer ${authorizer.name} for principal ${answer.principalId} does not allow ${arn} (${decision})`,
      });
    }
    return { kind: 'lambda', principalId: answer.principalId, context: answer.context, latencyMs };
  }

  private async invoke(
    authorizer: ApiAuthorizer,
    functionArn: string,
    token: string,
    arn: string,
    where: string,
  ): Promise<{ answer: AuthorizerAnswer; latencyMs: number }> {
    const { api, permissions } = this.dependencies;
    const failed = (reason: string) =>
      new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', undefined, {
        log: `${where}: Execution failed due to configuration error: Authorizer error (authorizer ${authorizer.name}: ${reason})`,
      });
    const sourceArn = authorizerArn(api, authorizer.id);
    if (!mayInvoke(permissions, functionArn, sourceArn, api.accountId, authorizer.credentials)) {
      throw failed(`Invalid permissions on Lambda function: no aws_lambda_permission lets ${API_GATEWAY_PRINCIPAL} invoke ${functionArn} from ${sourceArn}`);
    }
    const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', authorizationToken: token, methodArn: arn };
    const call = await callFunction(this.dependencies.invoke as LambdaInvoker, functionArn, event, AUTHORIZER_TIMEOUT_MS);
    switch (call.outcome) {
      case 'timeout':
        throw failed(`${functionArn} did not answer within ${AUTHORIZER_TIMEOUT_MS} ms`);
      case 'failed':
        throw failed(`invoking ${functionArn} failed: ${call.message}`);
      case 'error':
        if (call.error.errorMessage === 'Unauthorized') {
          throw new GatewayError('UNAUTHORIZED', undefined, { log: `${where}: authorizer ${authorizer.name} answered Unauthorized` });
        }
        throw failed(`the function failed: ${call.error.errorType}: ${call.error.errorMessage}`);
      case 'result': {
        const answer = readAnswer(call.result);
        if ('invalid' in answer) throw failed(`its answer is malformed: ${answer.invalid}`);
        return { answer, latencyMs: call.latencyMs };
      }
    }
  }
}

/** The function's answer, or why API Gateway would refuse it. */
function readAnswer(result: unknown): AuthorizerAnswer | { invalid: string } {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return { invalid: 'it is not an object' };
  const { principalId, policyDocument, context } = result as Record<string, unknown>;
  if (typeof principalId !== 'string') return { invalid: 'principalId is not a string' };
  const policy = readPolicyDocument(policyDocument);
  if ('invalid' in policy) return { invalid: policy.invalid };
  if (context !== undefined && context !== null && (typeof context !== 'object' || Array.isArray(context))) return { invalid: 'context is not an object' };
  const values: Record<string, string | null> = {};
  for (const [name, value] of Object.entries((context ?? {}) as Record<string, unknown>)) {
    // API Gateway stringifies numbers and booleans and refuses objects and lists.
    if (value === null) values[name] = null;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[name] = String(value);
    else return { invalid: `context.${name} is ${Array.isArray(value) ? 'a list' : 'an object'}; context values must be strings, numbers or booleans` };
  }
  return { principalId, context: values, statements: policy.statements };
}
