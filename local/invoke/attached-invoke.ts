/** The client side of invoke-endpoint.ts: runs one function of a running `npm run local -- <stack>`. */
import type { FunctionRun } from './invoke-once';
import { findSession } from './session-file';

export class AttachError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachError';
  }
}

export async function invokeAttached(projectRoot: string, stack: string, functionName: string, event: unknown): Promise<FunctionRun> {
  const session = findSession(projectRoot, stack);
  if (!session) throw new AttachError(`No \`npm run local -- ${stack}\` is running from this checkout: start one, or drop --attach.`);
  const response = await fetch(`${session.url}/functions/${encodeURIComponent(functionName)}/invocations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(event),
  }).catch((error: unknown) => {
    throw new AttachError(`The running session of ${stack} (pid ${session.pid}) did not answer at ${session.url}: ${(error as Error).message}`);
  });
  const body = (await response.json()) as FunctionRun | { message: string };
  if (!response.ok) throw new AttachError((body as { message: string }).message);
  return body as FunctionRun;
}
