/**
 * Event Ruler's `wildcard` operator: `*` stands for any run of characters (none
 * included), `\*` for a star and `\\` for a backslash; every other character stands for
 * itself. The whole value must match.
 *
 * Event Ruler refuses two stars in a row, and EventBridge refuses a wildcard pattern it
 * measures as "too complex" (many stars followed by repeating text, e.g.
 * `*:*:*:*:*:event-bus/*`). That measure is not reproduced here, so a pattern with
 * more than MAX_STARS stars is refused as not supported locally rather than accepted
 * where AWS might reject it.
 */
export const MAX_STARS = 2;

/** What is wrong with a wildcard pattern: an invalid one, or one not supported locally. */
export type WildcardProblem = { readonly kind: 'invalid' | 'unsupported'; readonly message: string };

export function compileWildcard(pattern: string): ((value: string) => boolean) | WildcardProblem {
  const parts: string[] = [''];
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1];
      if (next !== '*' && next !== '\\') {
        return { kind: 'unsupported', message: `a backslash before ${next === undefined ? 'the end' : JSON.stringify(next)} in wildcard ${JSON.stringify(pattern)}` };
      }
      parts[parts.length - 1] += next;
      index += 1;
    } else if (char === '*') {
      if (pattern[index + 1] === '*') return { kind: 'invalid', message: `consecutive wildcard characters at pos ${index + 1}` };
      parts.push('');
    } else {
      parts[parts.length - 1] += char;
    }
  }
  const stars = parts.length - 1;
  if (stars > MAX_STARS) {
    return { kind: 'unsupported', message: `a wildcard with ${stars} "*" (more than ${MAX_STARS}; EventBridge refuses some such patterns as too complex, by a measure not reproduced here)` };
  }
  return (value) => matchesParts(parts, value);
}

/** `parts` are the literal texts between stars: first at the start, last at the end, the rest in order between. */
function matchesParts(parts: readonly string[], value: string): boolean {
  if (parts.length === 1) return value === parts[0];
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  const end = value.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, position);
    if (found < 0 || found + middle.length > end) return false;
    position = found + middle.length;
  }
  return true;
}
