import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InventoryItem } from '../../../functions/inventory/process-inventory-file/inventory-file';

/**
 * The lab's inventory.json (seed 003, step 3), read from `samples/` so that these tests use the
 * very file the README uploads and the end-to-end test sends, byte for byte.
 */
export const SEED_INVENTORY_TEXT = readFileSync(path.join(__dirname, '../../../samples/inventory.json'), 'utf8');

/**
 * Its products, as plain JSON parsing reads them (not the handler's parser, which the tests check).
 * Readonly<> maps the interface to a plain object type, which (unlike an interface) passes as a
 * Record<string, unknown>.
 */
export const SEED_INVENTORY_ITEMS = JSON.parse(SEED_INVENTORY_TEXT) as readonly Readonly<InventoryItem>[];
