import { Console } from 'node:console';
import { Writable } from 'node:stream';

/**
 * A console (every method: log, warn, table, group...) whose output goes to `record`, one
 * call at a time, instead of to the terminal. Node's Console formats as the real one does.
 */
export function recordingConsole(record: (text: string) => void): Console {
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      record(chunk.toString());
      done();
    },
  });
  return new Console({ stdout: sink, stderr: sink });
}
