import { InvalidEnvironmentVariableError } from '../../shared/require-env';

/**
 * How new products are announced: `per-product`, the seed's one email per new product (sent
 * by NotifyInventoryUpdate from the table's stream), or `digest`, one email per upload (sent
 * by ProcessInventoryFile once the whole file is written). Low-stock alerts are per product
 * in both.
 */
export type AnnouncementMode = 'per-product' | 'digest';

const MODES: readonly string[] = ['per-product', 'digest'];

/** ANNOUNCEMENTS as the stack sets it; unset is the seed's behaviour. A typo fails the cold start. */
export function announcementModeOf(env: NodeJS.ProcessEnv = process.env): AnnouncementMode {
  const value = env.ANNOUNCEMENTS?.trim();
  if (value === undefined || value === '') return 'per-product';
  if (!MODES.includes(value)) throw new InvalidEnvironmentVariableError('ANNOUNCEMENTS', value, '"per-product" or "digest"');
  return value as AnnouncementMode;
}
