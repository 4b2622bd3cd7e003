import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Headers about one connection rather than the message (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);

/**
 * The headers a pass-through proxy may forward: all but the hop-by-hop ones, and those the
 * message's own `Connection` header names. Forwarding them lies about the proxy's own
 * connection: fauxqs's `Keep-Alive: timeout=72`, passed on, told clients to reuse a
 * connection that the proxy closes after 5 idle seconds, and a request sent on it as it
 * closed failed with ECONNRESET.
 */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}
