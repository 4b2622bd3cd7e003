/**
 * Runs a CloudFront Function's synthesized code as CloudFront does at viewer request: the
 * cloudfront-js-2.0 runtime calls `handler(event)` (plain or async) and goes on with the
 * request it returns, or answers with the response it returns instead. The code runs in
 * its own `vm` context with no Node globals (no require, no timers, no network), as in
 * CloudFront; what it cannot do here (a key value store import, another runtime) is refused
 * when the function is loaded, not when a request arrives.
 */
import { createContext, Script } from 'node:vm';
import type { FunctionRequest, FunctionResponse, ViewerRequestEvent } from './viewer-request-event';

/** Far above CloudFront's own budget (about a millisecond of compute): here it only stops a loop that never ends. */
const TIMEOUT_MS = 1000;

export const SUPPORTED_RUNTIME = 'cloudfront-js-2.0';

export type FunctionOutcome = { readonly request: FunctionRequest } | { readonly response: FunctionResponse };

export class CloudFrontFunction {
  private readonly context: Record<string, unknown>;
  // Called through a script so that the timeout holds for the handler's synchronous part too.
  private readonly call = new Script('handler(JSON.parse(__event))');

  constructor(
    readonly name: string,
    code: string,
    runtime: string,
  ) {
    if (runtime !== SUPPORTED_RUNTIME) throw new Error(`CloudFront Function ${name}: runtime ${runtime} is not supported locally (only ${SUPPORTED_RUNTIME}).`);
    if (/^\s*import\s/m.test(code)) throw new Error(`CloudFront Function ${name} imports a module (a key value store?), which is not supported locally.`);
    this.context = createContext({ console });
    new Script(code, { filename: `cloudfront-function:${name}` }).runInContext(this.context, { timeout: TIMEOUT_MS });
    if (new Script('typeof handler').runInContext(this.context) !== 'function') throw new Error(`CloudFront Function ${name} defines no function named handler.`);
  }

  async run(event: ViewerRequestEvent): Promise<FunctionOutcome> {
    this.context.__event = JSON.stringify(event);
    const result = (await this.call.runInContext(this.context, { timeout: TIMEOUT_MS })) as unknown;
    // Plain objects of this realm, whatever the function built them from.
    const returned = (result === undefined ? undefined : JSON.parse(JSON.stringify(result))) as Record<string, unknown> | undefined | null;
    if (returned === undefined || returned === null || typeof returned !== 'object') {
      throw new Error(`CloudFront Function ${this.name} returned ${String(returned)}, neither a request nor a response.`);
    }
    if (typeof returned.statusCode === 'number') return { response: returned as unknown as FunctionResponse };
    if (typeof returned.uri !== 'string') throw new Error(`CloudFront Function ${this.name} returned a request without a uri.`);
    const request = returned as unknown as FunctionRequest;
    return { request: { ...request, querystring: request.querystring ?? {}, headers: request.headers ?? {}, cookies: request.cookies ?? {} } };
  }
}
