/**
 * CloudFront's cache behaviour path patterns: `*` matches any run of characters (slashes
 * included), `?` exactly one, everything else itself, case-sensitively, against the whole
 * path; a pattern written without its leading slash (`images/*`) means the same as with it.
 */
export function pathPatternMatcher(pattern: string): (path: string) => boolean {
  const absolute = pattern.startsWith('/') || pattern === '*' ? pattern : `/${pattern}`;
  const source = [...absolute].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  const expression = new RegExp(`^${source}$`, 's');
  return (path) => expression.test(path);
}
