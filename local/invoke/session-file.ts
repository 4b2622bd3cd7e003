/**
 * How `invoke --attach` finds a running `npm run local -- <stack>`: the session writes
 * where its invoke endpoint listens and a secret token to a file only this user can read,
 * and removes it when it stops. A file left by a session that died is recognised by its
 * process being gone.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalSession {
  readonly pid: number;
  /** The invoke endpoint, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly token: string;
}

/** One folder per checkout, so that two clones of the project do not find each other's sessions. */
function sessionPath(projectRoot: string, stack: string): string {
  const checkout = createHash('sha256').update(projectRoot).digest('hex').slice(0, 16);
  return join(tmpdir(), `serverless-pipelines-${process.getuid?.() ?? 'user'}`, checkout, `${encodeURIComponent(stack)}.json`);
}

export function writeSession(projectRoot: string, stack: string, session: LocalSession): () => void {
  const path = sessionPath(projectRoot, stack);
  const folder = join(path, '..');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  refuseSharedFolder(join(folder, '..'));
  refuseSharedFolder(folder);
  writeFileSync(path, JSON.stringify(session), { mode: 0o600 });
  return () => {
    // Another session of the same stack may have replaced the file since; it keeps its own.
    if (readSessionFile(path)?.pid === session.pid) rmSync(path, { force: true });
  };
}

/**
 * The temporary folder is everyone's: a folder made there in advance by another user (or a
 * link to one) could hand out a token or swap the endpoint, so only one of our own, closed
 * to others, is used.
 */
function refuseSharedFolder(folder: string): void {
  const stat = lstatSync(folder);
  const ownUid = process.getuid?.();
  if (!stat.isDirectory() || (ownUid !== undefined && stat.uid !== ownUid) || (stat.mode & 0o077) !== 0) {
    throw new Error(`Refusing to keep the session's token in ${folder}: it is not a folder of this user's closed to others. Remove it and start again.`);
  }
}

/** The running session of the stack, or undefined when there is none (or only a dead one's file). */
export function findSession(projectRoot: string, stack: string): LocalSession | undefined {
  const session = readSessionFile(sessionPath(projectRoot, stack));
  return session !== undefined && isRunning(session.pid) ? session : undefined;
}

function readSessionFile(path: string): LocalSession | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LocalSession;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
