/**
 * Lambda function ARNs, made and read one way: the local runtime names a function by the
 * ARN AWS would give it, and accepts a name, an ARN or a qualified ARN wherever the Lambda
 * API does.
 */
import { LOCAL_ACCOUNT_ID } from '../emulators/local-account';

export function functionArn(functionName: string, region: string, accountId: string = LOCAL_ACCOUNT_ID): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
}

/** `dev-fn`, `arn:aws:lambda:<region>:<account>:function:dev-fn` and `...:dev-fn:$LATEST` all name `dev-fn`. */
export function functionNameOf(reference: string): string {
  return reference.startsWith('arn:') ? reference.split(':')[6] : reference;
}
