import type { SynthesizedStack } from '../stack/synthesized-stack';
import { arnLike, wildcardMatch } from './execute-api-arn';

/**
 * The functions' resource policies as the stack writes them (aws_lambda_permission), for
 * what Lambda checks when API Gateway invokes a function with its service principal:
 * a statement for `apigateway.amazonaws.com` allowing lambda:InvokeFunction, whose
 * source ARN (ArnLike) and source account, when given, match the caller.
 */
export interface LambdaPermission {
  /** Terraform name of the aws_lambda_permission. */
  readonly name: string;
  /** The function's name, from a name, a full ARN or a partial ARN. */
  readonly functionName: string;
  /** An alias or version; undefined for the unqualified function. */
  readonly qualifier?: string;
  readonly principal: string;
  readonly action: string;
  readonly sourceArn?: string;
  readonly sourceAccount?: string;
}

export const API_GATEWAY_PRINCIPAL = 'apigateway.amazonaws.com';

/**
 * Reads the stack's aws_lambda_permission resources. One whose references the resolver
 * cannot resolve is left out (it grants nothing locally), and `skipped` says why.
 */
export function lambdaPermissions(stack: SynthesizedStack, resolve: (value: string) => string): { permissions: LambdaPermission[]; skipped: string[] } {
  const permissions: LambdaPermission[] = [];
  const skipped: string[] = [];
  for (const [name, config] of Object.entries(stack.resources('aws_lambda_permission'))) {
    try {
      const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : resolve(String(value)));
      const { functionName, qualifier } = functionOf(text(config.function_name) ?? '');
      permissions.push({
        name,
        functionName,
        qualifier: text(config.qualifier) ?? qualifier,
        principal: text(config.principal) ?? '',
        action: text(config.action) ?? '',
        sourceArn: text(config.source_arn),
        sourceAccount: text(config.source_account),
      });
    } catch (error) {
      skipped.push(`aws_lambda_permission.${name}: ${(error as Error).message}`);
    }
  }
  return { permissions, skipped };
}

/** Whether a statement lets API Gateway invoke `functionArn` for `sourceArn` in `sourceAccount`. */
export function apiGatewayMayInvoke(permissions: readonly LambdaPermission[], functionArn: string, sourceArn: string, sourceAccount: string): boolean {
  const invoked = functionOf(functionArn);
  return permissions.some(
    (permission) =>
      permission.functionName === invoked.functionName &&
      permission.qualifier === invoked.qualifier &&
      (permission.principal === API_GATEWAY_PRINCIPAL || permission.principal === '*') &&
      wildcardMatch(permission.action, 'lambda:InvokeFunction', { ignoreCase: true }) &&
      (permission.sourceArn === undefined || arnLike(permission.sourceArn, sourceArn)) &&
      (permission.sourceAccount === undefined || permission.sourceAccount === sourceAccount),
  );
}

/** `name`, `name:qualifier`, `<account>:function:name[:qualifier]` or `arn:...:function:name[:qualifier]`. */
function functionOf(reference: string): { functionName: string; qualifier?: string } {
  const afterFunction = /(?:^|:)function:(.+)$/.exec(reference)?.[1] ?? reference;
  const [functionName, qualifier] = afterFunction.split(':');
  if (!functionName) throw new Error(`function_name ${JSON.stringify(reference)} names no function`);
  return { functionName, qualifier: qualifier === undefined || qualifier === '' ? undefined : qualifier };
}
