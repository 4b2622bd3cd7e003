/**
 * What differs between two synthesized stacks (cdk.tf.json), said the way a reviewer of a
 * Terraform plan thinks: by address (`resource.aws_iam_role_policy.x`, `output.api_url`),
 * then by argument. JSON held in strings (IAM policy documents, redrive policies, state
 * machine definitions) is compared as JSON, so a changed statement shows as one line.
 */

export type StackJson = Record<string, unknown>;

export interface Difference {
  /** e.g. `resource.aws_sqs_queue.order-queue_queue_ABCD1234`, `output.api_url`, `terraform` */
  readonly address: string;
  /** `moved`: a Terraform `moved` block takes the resource at `from` to `address`. */
  readonly kind: 'added' | 'removed' | 'changed' | 'moved';
  /** For `moved`: the address it had. */
  readonly from?: string;
  /** For `changed` and `moved`: one line per differing argument, e.g. `policy.Statement[0].Sid: "A" -> "B"`. */
  readonly changes: readonly string[];
}

interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/** Top-level blocks whose entries are addressed by type and name. */
const TYPED_BLOCKS = new Set(['resource', 'data']);
/** Top-level blocks whose entries are addressed by name. */
const NAMED_BLOCKS = new Set(['output', 'variable', 'locals', 'module']);
/** A value printed in full beyond this many characters is cut, with its length. */
const MAX_VALUE_CHARS = 160;

export function diffStacks(before: StackJson, after: StackJson): Difference[] {
  const differences: Difference[] = [];
  for (const key of union(before, after)) {
    // Moves are shown on the resources they move, below.
    if (key === 'moved') continue;
    if (TYPED_BLOCKS.has(key)) {
      const beforeTypes = asRecord(before[key]);
      const afterTypes = asRecord(after[key]);
      for (const type of union(beforeTypes, afterTypes)) {
        diffEntries(`${key}.${type}`, asRecord(beforeTypes[type]), asRecord(afterTypes[type]), differences);
      }
    } else if (NAMED_BLOCKS.has(key)) {
      diffEntries(key, asRecord(before[key]), asRecord(after[key]), differences);
    } else {
      diffEntry(key, before[key], after[key], differences);
    }
  }
  return pairMoves(differences, movedBlocks(before), movedBlocks(after), before, after);
}

/**
 * A resource removed at one address and added at another is one resource moved, when the
 * new stack has a `moved` block saying so: shown as `moved`, with what changed on the way.
 * A `moved` block the old stack already had, or one whose resources did not change
 * address, is listed as such.
 */
function pairMoves(differences: Difference[], movesBefore: readonly MovedBlock[], movesAfter: readonly MovedBlock[], before: StackJson, after: StackJson): Difference[] {
  const known = new Set(movesBefore.map((move) => `${move.from} -> ${move.to}`));
  let paired = differences;
  const unpaired: Difference[] = [];
  for (const move of movesAfter) {
    const from = `resource.${move.from}`;
    const to = `resource.${move.to}`;
    const removed = paired.find((difference) => difference.kind === 'removed' && difference.address === from);
    const added = paired.find((difference) => difference.kind === 'added' && difference.address === to);
    if (removed && added) {
      const changes = valueChanges('', lookup(before, from), lookup(after, to));
      paired = paired.flatMap((difference) => (difference === removed ? [] : difference === added ? [{ address: to, kind: 'moved', from, changes }] : [difference]));
    } else if (!known.has(`${move.from} -> ${move.to}`)) {
      unpaired.push({ address: `moved ${move.from} -> ${move.to}`, kind: 'added', changes: [] });
    }
  }
  const gone = movesBefore.filter((move) => !movesAfter.some((kept) => kept.from === move.from && kept.to === move.to));
  return [...paired, ...unpaired, ...gone.map((move): Difference => ({ address: `moved ${move.from} -> ${move.to}`, kind: 'removed', changes: [] }))];
}

function movedBlocks(stack: StackJson): MovedBlock[] {
  const moved = stack.moved;
  return Array.isArray(moved) ? moved.filter((block): block is MovedBlock => typeof block?.from === 'string' && typeof block?.to === 'string') : [];
}

/** The value at `resource.<type>.<name>`. */
function lookup(stack: StackJson, address: string): unknown {
  return address.split('.').reduce<unknown>((value, key) => asRecord(value)[key], stack);
}

/** Lines for a person: one per difference, with its argument changes indented below it. */
export function formatDifferences(differences: readonly Difference[]): string[] {
  return differences.flatMap((difference) => [
    `${difference.kind.padEnd(7)} ${difference.address}${difference.from ? ` (from ${difference.from})` : ''}`,
    ...difference.changes.map((change) => `          ${change}`),
  ]);
}

function diffEntries(prefix: string, before: Record<string, unknown>, after: Record<string, unknown>, into: Difference[]): void {
  for (const name of union(before, after)) diffEntry(`${prefix}.${name}`, before[name], after[name], into);
}

function diffEntry(address: string, before: unknown, after: unknown, into: Difference[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) into.push({ address, kind: 'added', changes: [] });
  else if (after === undefined) into.push({ address, kind: 'removed', changes: [] });
  else {
    const changes = valueChanges('', before, after);
    if (changes.length > 0) into.push({ address, kind: 'changed', changes });
  }
}

function valueChanges(path: string, before: unknown, after: unknown): string[] {
  if (Object.is(before, after)) return [];
  const beforeJson = embeddedJson(before);
  const afterJson = embeddedJson(after);
  if (beforeJson !== undefined && afterJson !== undefined) return valueChanges(path, beforeJson, afterJson);
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = Array.isArray(before)
      ? Array.from({ length: Math.max(before.length, (after as unknown[]).length) }, (_, index) => index)
      : union(before as Record<string, unknown>, after as Record<string, unknown>);
    return keys.flatMap((key) =>
      valueChanges(
        typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`,
        (before as Record<string | number, unknown>)[key],
        (after as Record<string | number, unknown>)[key],
      ),
    );
  }
  return [`${path || '(value)'}: ${show(before)} -> ${show(after)}`];
}

/** A string holding a JSON object or array (a policy document), parsed; otherwise undefined. */
function embeddedJson(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}... (${text.length} chars)` : text;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isContainer(value) && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Keys of both, in first-seen order, so that output follows the files' own order. */
function union(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])];
}
