import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { indexProduct, type IndexedProduct } from './product-page';

/** What the catalog needs of a DynamoDBClient: Scan, which the role allows, and nothing else. */
export interface ScanClient {
  send(command: ScanCommand): Promise<ScanCommandOutput>;
}

export interface CatalogOptions {
  /** How long one scan answers every request of this container. */
  readonly maxAgeMs: number;
  /** Parallel scan segments: each reads its share of the table at the same time. */
  readonly segments: number;
  readonly now?: () => number;
}

/**
 * Every product of the inventory table, read by a parallel scan of its four attributes
 * and kept for `maxAgeMs`: sorting, searching and paging through 10,000 products then
 * cost a few milliseconds of CPU instead of a 10,000-item scan per click. A person paging
 * sees the list as it was at most `maxAgeMs` ago; one scan serves concurrent requests.
 *
 * Why not a sorted index: DynamoDB can sort only by a sort key within one partition, and
 * the page sorts by any of four fields with a substring search, which no index serves.
 */
export class ProductCatalog {
  private cached?: { readonly loadedAt: number; readonly products: Promise<readonly IndexedProduct[]> };

  constructor(
    private readonly dynamodb: ScanClient,
    private readonly tableName: string,
    private readonly options: CatalogOptions,
  ) {}

  products(): Promise<readonly IndexedProduct[]> {
    const now = (this.options.now ?? Date.now)();
    if (!this.cached || now - this.cached.loadedAt >= this.options.maxAgeMs) {
      const products = this.scanAll();
      this.cached = { loadedAt: now, products };
      // A failed scan is not kept: the next request tries again.
      products.catch(() => {
        if (this.cached?.products === products) this.cached = undefined;
      });
    }
    return this.cached.products;
  }

  private async scanAll(): Promise<readonly IndexedProduct[]> {
    const { segments } = this.options;
    const parts = await Promise.all(Array.from({ length: segments }, (_, segment) => this.scanSegment(segment, segments)));
    return parts.flat();
  }

  private async scanSegment(segment: number, totalSegments: number): Promise<IndexedProduct[]> {
    const products: IndexedProduct[] = [];
    let startKey: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.dynamodb.send(
        new ScanCommand({
          TableName: this.tableName,
          Segment: segment,
          TotalSegments: totalSegments,
          // `name` is a DynamoDB reserved word.
          ProjectionExpression: 'productId, #name, quantity, price',
          ExpressionAttributeNames: { '#name': 'name' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const row = unmarshall(item) as Record<string, unknown>;
        // Rows are written by ProcessInventoryFile, which checks every field; anything else is skipped, not shown half.
        if (typeof row.productId === 'string' && typeof row.name === 'string' && typeof row.quantity === 'number' && typeof row.price === 'number') {
          products.push(indexProduct({ productId: row.productId, name: row.name, quantity: row.quantity, price: row.price }));
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return products;
  }
}
