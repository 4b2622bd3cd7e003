/**
 * A response headers policy as CloudFront applies it to every response of a behaviour that
 * names it: its security headers and custom headers, each added, or put in place of the
 * origin's own when the policy says `override`, and the headers it removes. What it
 * declares but is not done here (CORS headers, Server-Timing) is refused when it is read.
 */
import type { ResourceConfig } from '../stack/synthesized-stack';

export interface PolicyHeader {
  readonly name: string;
  readonly value: string;
  readonly override: boolean;
}

export interface ResponseHeadersPolicy {
  readonly name: string;
  readonly headers: readonly PolicyHeader[];
  readonly remove: readonly string[];
}

type Block = Record<string, unknown>;

/** cdktf writes a block of at most one item as an object, sometimes as a list of one. */
function block(value: unknown): Block | undefined {
  const one = Array.isArray(value) ? (value[0] as unknown) : value;
  return one !== null && typeof one === 'object' ? (one as Block) : undefined;
}

function list(value: unknown): Block[] {
  return Array.isArray(value) ? (value as Block[]) : [];
}

/**
 * @param text resolves a string of the policy (a CSP naming a bucket) to its local value,
 *   AWS URLs included
 */
export function readResponseHeadersPolicy(config: ResourceConfig, text: (value: string) => string): ResponseHeadersPolicy {
  const name = String(config.name);
  for (const unsupported of ['cors_config', 'server_timing_headers_config']) {
    if (block(config[unsupported]) !== undefined) throw new Error(`Response headers policy ${name}: ${unsupported} is not supported locally.`);
  }
  const headers: PolicyHeader[] = [];
  const add = (header: string, value: string, settings: Block) => headers.push({ name: header, value, override: settings.override === true });
  const security = block(config.security_headers_config) ?? {};

  const csp = block(security.content_security_policy);
  if (csp) add('content-security-policy', text(String(csp.content_security_policy)), csp);
  const hsts = block(security.strict_transport_security);
  if (hsts) {
    const value = [`max-age=${Number(hsts.access_control_max_age_sec)}`, hsts.include_subdomains === true ? 'includeSubDomains' : '', hsts.preload === true ? 'preload' : '']
      .filter(Boolean)
      .join('; ');
    add('strict-transport-security', value, hsts);
  }
  const frame = block(security.frame_options);
  if (frame) add('x-frame-options', String(frame.frame_option), frame);
  const nosniff = block(security.content_type_options);
  if (nosniff) add('x-content-type-options', 'nosniff', nosniff);
  const referrer = block(security.referrer_policy);
  if (referrer) add('referrer-policy', String(referrer.referrer_policy), referrer);
  const xss = block(security.xss_protection);
  if (xss) {
    const value =
      xss.protection !== true
        ? '0'
        : ['1', xss.mode_block === true ? 'mode=block' : '', typeof xss.report_uri === 'string' && xss.report_uri !== '' ? `report=${text(xss.report_uri)}` : ''].filter(Boolean).join('; ');
    add('x-xss-protection', value, xss);
  }
  for (const item of list(block(config.custom_headers_config)?.items)) add(String(item.header).toLowerCase(), text(String(item.value)), item);
  const remove = list(block(config.remove_headers_config)?.items).map((item) => String(item.header).toLowerCase());
  return { name, headers, remove };
}

/** The origin's headers (lowercase names) with the policy applied. */
export function applyResponseHeadersPolicy(policy: ResponseHeadersPolicy | undefined, headers: Record<string, string | string[]>): Record<string, string | string[]> {
  if (!policy) return headers;
  const result = { ...headers };
  for (const name of policy.remove) delete result[name];
  for (const header of policy.headers) {
    if (header.override || result[header.name] === undefined) result[header.name] = header.value;
  }
  return result;
}
