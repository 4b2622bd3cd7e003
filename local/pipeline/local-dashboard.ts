/**
 * The café dashboard run locally, as `npm run local -- dashboard` runs it and as the
 * browser tests start it: the dashboard stack with every stack it reads (the inventory and
 * report pipelines), its local CloudFront on `port`, and a local user of the one user pool
 * with a password made at start.
 */
import { STACK_IDS } from '../../stacks/stack-ids';
import { SynthesizedApp } from '../stack/synthesized-app';
import { startLocalStacks, stacksToRun, type LocalStacks, type LocalStacksOptions } from './local-stacks';

/** The local user a run with a hosted UI creates, who signs in to the dashboard. */
export const LOCAL_USER_EMAIL = 'staff@example.com';

/** Where the dashboard listens by default: the URL its app client's callback names locally. */
export const DEFAULT_DASHBOARD_PORT = 8080;

export interface LocalDashboardOptions extends Omit<LocalStacksOptions, 'app' | 'stackIds' | 'cloudFrontPort'> {
  /** The synthesized app's directory (cdktf.out, or a test's own outdir). */
  readonly outDir: string;
  /** The local CloudFront's port. @default 8080; 0 picks a free one */
  readonly port?: number;
}

export interface LocalUser {
  readonly email: string;
  readonly password: string;
}

export interface LocalDashboard {
  /** http://localhost:<port> */
  readonly url: string;
  /** Who signs in: staff@example.com and a password made now. */
  readonly user: LocalUser;
  readonly run: LocalStacks;
  stop(): Promise<void>;
}

export async function startLocalDashboard(options: LocalDashboardOptions): Promise<LocalDashboard> {
  const app = SynthesizedApp.read(options.outDir);
  const run = await startLocalStacks({
    ...options,
    app,
    stackIds: stacksToRun(app, STACK_IDS.dashboard),
    cloudFrontPort: options.port ?? DEFAULT_DASHBOARD_PORT,
  });
  try {
    const user = createLocalUser(run);
    if (!run.cloudFront || !user) throw new Error('The dashboard stack has no CloudFront distribution or reads no user pool: nothing to sign in to.');
    return { url: run.cloudFront.url, user, run, stop: () => run.stop() };
  } catch (error) {
    await run.stop();
    throw error;
  }
}

/** A person to sign in as: created in the run's user pool with a password made now, kept nowhere. */
export function createLocalUser(run: LocalStacks): LocalUser | undefined {
  const [pool] = run.userPools.values();
  if (!pool || !run.hostedUi) return undefined;
  const { email, password } = pool.createUser(LOCAL_USER_EMAIL);
  return { email, password };
}
