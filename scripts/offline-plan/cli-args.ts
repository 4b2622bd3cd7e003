export const USAGE = `Usage: npm run plan:offline [-- [--no-synth] [stack ...]]

Validates and plans each synthesized stack with terraform and the hashicorp/aws 5.100.0
provider from a local filesystem mirror: no AWS account and no internet needed.

  stack ...    stacks to plan (default: every stack in cdktf.out/manifest.json)
  --no-synth   plan the existing cdktf.out instead of synthesizing first
  --help       show this help

Environment:
  TF_PROVIDER_MIRROR   filesystem mirror holding registry.terraform.io/hashicorp/aws/5.100.0
                       (default: the first of a few well-known places that has it)`;

export interface PlanOfflineOptions {
  stacks: string[];
  synth: boolean;
  help: boolean;
}

/** A mistake in how the script was called; the message is meant for the user as is. */
export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): PlanOfflineOptions {
  const options: PlanOfflineOptions = { stacks: [], synth: true, help: false };
  for (const arg of argv) {
    if (arg === '--no-synth') options.synth = false;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}\n\n${USAGE}`);
    else if (!options.stacks.includes(arg)) options.stacks.push(arg);
  }
  return options;
}

/** The stacks to plan, in manifest order; every requested name must be a known stack. */
export function selectStacks(requested: readonly string[], known: readonly string[]): string[] {
  if (known.length === 0) throw new UsageError('cdktf.out/manifest.json lists no stacks: synthesize first (drop --no-synth)');
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const plural = unknown.length > 1 ? 's' : '';
    throw new UsageError(`unknown stack${plural} ${unknown.join(', ')}; known stacks: ${known.join(', ')}`);
  }
  return requested.length === 0 ? [...known] : known.filter((name) => requested.includes(name));
}
