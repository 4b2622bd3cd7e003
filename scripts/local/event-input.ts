/**
 * Where `invoke` takes its event from: a file, standard input when it is a pipe or a
 * redirected file (`npm run local -- event sqs | npm run local -- invoke ...`), or the
 * console's empty test event `{}`. Read before anything starts, so that a bad event costs
 * no emulator start-up.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { UsageError } from './usage-error';

export interface EventInput {
  readonly event: unknown;
  /** Where it came from, for the terminal. */
  readonly source: string;
}

/**
 * `npm run` prints its own banner ("> pkg@1.0.0 local" and the command) on standard output
 * before the script's output, so a piped `npm run local -- event ...` arrives with it.
 */
const NPM_BANNER = /^(?:[ \t]*\r?\n)*(?:> [^\n]*\r?\n)+/;

export function readEventInput(eventOption: string | undefined): EventInput {
  if (eventOption === '-' || (eventOption === undefined && stdinIsPipeOrFile())) {
    return { event: parseEvent(readFileSync(0, 'utf8'), 'standard input'), source: 'standard input' };
  }
  if (eventOption === undefined) return { event: {}, source: 'none given: {} (as an empty test event)' };
  let text: string;
  try {
    text = readFileSync(eventOption, 'utf8');
  } catch (error) {
    throw new UsageError(`--event ${eventOption}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}`);
  }
  return { event: parseEvent(text, eventOption), source: eventOption };
}

/**
 * A shell pipe or `< file`, not a terminal, /dev/null or the socket a parent process
 * leaves open without writing to it (which would wait forever).
 */
function stdinIsPipeOrFile(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isFile();
  } catch {
    return false;
  }
}

export function parseEvent(text: string, source: string): unknown {
  const json = text.replace(NPM_BANNER, '');
  if (json.trim() === '') {
    throw new UsageError(`The event from ${source} is empty: nothing to invoke with${source === 'standard input' ? ' (did the command before the pipe fail?)' : ''}.`);
  }
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new UsageError(`The event from ${source} is not JSON: ${(error as Error).message}`);
  }
}
