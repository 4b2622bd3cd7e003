/**
 * ListProducts against DynamoDB Local with 10,000 products: the parallel scan reads every
 * product once, a page of any sort or search then comes from memory in milliseconds, and
 * the catalog reads the table again once its copy is older than its limit.
 */
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { writeInventoryItems } from '../../../../functions/inventory/process-inventory-file/inventory-table';
import { ProductCatalog } from '../../../../functions/inventory/list-products/product-catalog';
import { productPage } from '../../../../functions/inventory/list-products/product-page';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { LOCAL_CLIENT_CONFIG } from '../../support/local-aws-env';

const TABLE_NAME = uniqueNames().table('InventoryTable');
const PRODUCTS = 10_000;
let dynamodb: DynamoDBClient;
/** Counts the Scan calls, as the catalog's client. */
const scans: ScanCommand[] = [];
const counting = { send: (command: ScanCommand) => (scans.push(command), dynamodb.send(command)) };

beforeAll(async () => {
  const local = await workerEmulators().dynamodb();
  dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: local.endpoint });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE_NAME,
      KeySchema: [{ AttributeName: 'productId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'productId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const items = Array.from({ length: PRODUCTS }, (_, index) => ({
    productId: `P${String(index).padStart(5, '0')}`,
    name: `Product ${index} ${index % 7 === 0 ? 'espresso beans' : 'mug'}`,
    quantity: index % 50,
    price: Math.round(index * 1.37) / 100,
  }));
  await writeInventoryItems(dynamodb, TABLE_NAME, items, { concurrency: 8 });
}, EMULATOR_HOOK_TIMEOUT_MS * 4);

afterAll(() => dynamodb?.destroy());

describe('ProductCatalog over 10,000 products', () => {
  let clock = 0;
  const catalog = new ProductCatalog(counting, '', { maxAgeMs: 5_000, segments: 4, now: () => clock });
  // The table name arrives after beforeAll; the catalog reads it at scan time.
  Object.assign(catalog as unknown as { tableName: string }, { tableName: TABLE_NAME });

  it('reads every product once with a parallel scan of four segments, projecting the four attributes', async () => {
    const started = performance.now();
    const products = await catalog.products();
    const scanMs = performance.now() - started;
    expect(products).toHaveLength(PRODUCTS);
    expect(new Set(scans.map((scan) => scan.input.Segment))).toEqual(new Set([0, 1, 2, 3]));
    expect(scans.every((scan) => scan.input.TotalSegments === 4 && scan.input.ProjectionExpression === 'productId, #name, quantity, price')).toBe(true);
    // A generous bound on a shared 2-core machine; the notes give the measured figure.
    expect(scanMs).toBeLessThan(15_000);
  });

  it('answers any page, sort and search from memory in milliseconds, with no further scan', async () => {
    const before = scans.length;
    const started = performance.now();
    // First pages of three orders (each sorts once), as a person clicking through would see them.
    const pages = [
      productPage(await catalog.products(), { page: 1, pageSize: 25, sort: 'productId', order: 'asc', search: '' }, 5),
      productPage(await catalog.products(), { page: 200, pageSize: 50, sort: 'name', order: 'desc', search: '' }, 5),
      productPage(await catalog.products(), { page: 3, pageSize: 100, sort: 'price', order: 'asc', search: 'ESPRESSO' }, 5),
    ];
    const perPageMs = (performance.now() - started) / pages.length;
    expect(scans.length).toBe(before);
    expect(pages[0].items[0]).toEqual({ productId: 'P00000', name: 'Product 0 espresso beans', quantity: 0, price: 0, lowStock: true });
    expect(pages[0]).toMatchObject({ total: PRODUCTS, pages: 400 });
    expect(pages[1].items).toHaveLength(50);
    expect(pages[2].total).toBe(Math.ceil(PRODUCTS / 7));
    expect(perPageMs).toBeLessThan(500);
    const next = performance.now();
    productPage(await catalog.products(), { page: 2, pageSize: 25, sort: 'productId', order: 'asc', search: '' }, 5);
    productPage(await catalog.products(), { page: 4, pageSize: 100, sort: 'price', order: 'asc', search: 'ESPRESSO' }, 5);
    const laterPageMs = (performance.now() - next) / 2;
    // Later pages of an order already sorted: a filter and a slice.
    expect(laterPageMs).toBeLessThan(100);
  });

  it('reads the table again once its copy is older than five seconds, and one scan serves concurrent requests', async () => {
    clock += 5_000;
    const before = scans.length;
    const [a, b] = await Promise.all([catalog.products(), catalog.products()]);
    expect(a).toBe(b);
    expect(scans.length - before).toBeGreaterThanOrEqual(4);
    expect(scans.length - before).toBeLessThan(40);
  });
});
