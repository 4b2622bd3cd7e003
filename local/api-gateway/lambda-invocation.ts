import type { FunctionError, Invocation } from '../lambda/invocation';
import { apiGatewayMayInvoke, type LambdaPermission } from './lambda-permissions';

/**
 * How API Gateway calls a function, for Lambda proxy integrations and Lambda
 * authorizers: the function named by the invoke URI, the function's permission for
 * the caller's source ARN, and the call within a timeout.
 */

/**
 * Invokes a function by its ARN, as Lambda's Invoke API does (RequestResponse): the
 * handler's result or its error. The local runtime supplies it (see local-pipeline.ts);
 * tests pass a stub.
 */
export type LambdaInvoker = (functionArn: string, event: unknown) => Promise<Invocation>;

/** What came of one call. */
export type FunctionCall =
  | { readonly outcome: 'result'; readonly result: unknown; readonly latencyMs: number }
  | { readonly outcome: 'error'; readonly error: FunctionError; readonly latencyMs: number }
  | { readonly outcome: 'timeout' }
  /** The invoker itself failed (no such function, ...). */
  | { readonly outcome: 'failed'; readonly message: string };

const INVOKE_URI = /^arn:[^:]+:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/s;

/** The function ARN in `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`; undefined for another uri. */
export function functionArnOfInvokeUri(uri: string | undefined): string | undefined {
  const functionArn = INVOKE_URI.exec(uri ?? '')?.[1];
  return functionArn !== undefined && /^arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:/]+(?::[^:/]+)?$/.test(functionArn) ? functionArn : undefined;
}

/**
 * Whether API Gateway may invoke the function for `sourceArn`: with the role of the
 * integration's or authorizer's credentials it may (the role's policy is proven by the
 * stack's IAM tests, not here); else a permission of the function must allow it.
 */
export function mayInvoke(
  permissions: readonly LambdaPermission[],
  functionArn: string,
  sourceArn: string,
  accountId: string,
  credentials: string | undefined,
): boolean {
  return credentials !== undefined || apiGatewayMayInvoke(permissions, functionArn, sourceArn, accountId);
}

export async function callFunction(invoke: LambdaInvoker, functionArn: string, event: unknown, timeoutMs: number): Promise<FunctionCall> {
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<FunctionCall>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'timeout' }), timeoutMs);
  });
  const call = invoke(functionArn, event).then(
    (invocation): FunctionCall =>
      invocation.ok
        ? { outcome: 'result', result: invocation.result, latencyMs: Date.now() - startedAt }
        : { outcome: 'error', error: invocation.error, latencyMs: Date.now() - startedAt },
    (error: unknown): FunctionCall => ({ outcome: 'failed', message: (error as Error)?.message ?? String(error) }),
  );
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
