/**
 * Keeps one line of the terminal report short enough to read (a function may log an 11 MiB
 * request body) without ever printing part of a URL: half a presigned link looks like a
 * link, opens nothing, and hides that the signature was cut.
 */

/** Where a long line is cut, unless a URL spans that point. */
export const MAX_LINE_CHARS = 400;

/**
 * The longest URL kept whole across the cut. Node's HTTP servers, the local ones included,
 * refuse a request line over 16 KiB, so a longer "URL" is not one a person could open.
 */
export const MAX_URL_CHARS = 16 * 1024;

/** Ends where a URL ends in a log line or an email: whitespace, or a JSON string's quote. */
const URL_PATTERN = /https?:\/\/[^\s"'<>\\]+/g;

export function fitLineToTerminal(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  let cut = MAX_LINE_CHARS;
  // Only a URL that starts before the cut matters, and one running past this window is too
  // long to keep anyway: no need to scan the rest of an 11 MiB line.
  const window = line.slice(0, MAX_LINE_CHARS + MAX_URL_CHARS + 1);
  for (const match of window.matchAll(URL_PATTERN)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start >= cut) break;
    if (end > cut) cut = match[0].length <= MAX_URL_CHARS ? end : start;
  }
  if (cut >= line.length) return line;
  // A space before the note: a terminal would take "..." straight after a URL as part of it.
  return `${line.slice(0, cut)} ... (${line.length - cut} more characters)`;
}
