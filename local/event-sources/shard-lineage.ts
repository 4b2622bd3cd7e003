/**
 * Which shards of a stream Lambda reads now: a child shard (after a split) only once its
 * parent's records are all handled, so that an item's changes stay in order across the
 * split; with LATEST, shards closed before the mapping existed are skipped, shards open
 * then are read from their end, and shards created later from their beginning (or the
 * records written to them before the first poll would be lost).
 */
import type { ShardPosition, StreamShard } from './dynamodb-stream-reader';

export interface ShardLineageState {
  /** Shards whose records are all handled, or that LATEST skipped. */
  readonly finished: ReadonlySet<string>;
  /** Shards being read. */
  readonly started: ReadonlySet<string>;
  /** The shards listed by the first discovery: LATEST applies to them only. */
  readonly initialShards: ReadonlySet<string>;
  readonly firstDiscovery: boolean;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
}

export interface ShardsToStart {
  readonly start: readonly { readonly shardId: string; readonly position: ShardPosition }[];
  /** Closed before a LATEST mapping existed: everything in them predates it. */
  readonly skip: readonly string[];
}

/** @param shards every shard the stream lists, parents before their children */
export function shardsToStart(shards: readonly StreamShard[], state: ShardLineageState): ShardsToStart {
  const listed = new Set(shards.map((shard) => shard.shardId));
  const finished = new Set(state.finished);
  const start: { shardId: string; position: ShardPosition }[] = [];
  const skip: string[] = [];
  for (const shard of shards) {
    if (finished.has(shard.shardId) || state.started.has(shard.shardId)) continue;
    if (state.firstDiscovery && state.startingPosition === 'LATEST' && shard.endingSequenceNumber !== undefined) {
      finished.add(shard.shardId);
      skip.push(shard.shardId);
      continue;
    }
    const parent = shard.parentShardId;
    // A parent no longer listed has been trimmed away: nothing left to wait for.
    if (parent !== undefined && listed.has(parent) && !finished.has(parent)) continue;
    const position: ShardPosition = state.startingPosition === 'LATEST' && state.initialShards.has(shard.shardId) ? 'LATEST' : 'TRIM_HORIZON';
    start.push({ shardId: shard.shardId, position });
  }
  return { start, skip };
}
