import { execFile, execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const PROJECT_ROOT = resolve(__dirname, '../../..');

/** Whether anything accepts TCP connections on host:port right now. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Command lines of running processes that contain every one of `needles`. */
export function processesMentioning(...needles: string[]): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => needles.every((needle) => line.includes(needle)));
}

export function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

/**
 * Runs a Node program (TypeScript allowed) in a process of its own and returns what it
 * printed: how a test watches a launcher from the outside, as its real users will run it.
 */
export async function runNodeProgram(program: string, timeoutMs = 60_000): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--eval', program], {
    cwd: PROJECT_ROOT,
    timeout: timeoutMs,
    encoding: 'utf8',
  });
  return stdout;
}
