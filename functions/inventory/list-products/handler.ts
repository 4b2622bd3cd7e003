import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerOf, errorResponse, jsonResponse, UNAUTHORIZED } from '../../shared/http-response';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { ProductCatalog } from './product-catalog';
import { productPage } from './product-page';
import { parseProductQuery } from './product-query';

// Module scope: read and built once per container, reused by every invocation.
const tableName = requireEnv('TABLE_NAME');
const lowStockThreshold = requireIntegerEnv('LOW_STOCK_THRESHOLD', 0);
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (local emulators).
const dynamodb = new DynamoDBClient({});
/** Five seconds: pages of one browse come from one scan, and an upload shows within seconds. */
export const CATALOG_MAX_AGE_MS = 5_000;
/** Four segments: a 10,000-product table (about 1 MB) is read in about a quarter of the time of one. */
export const SCAN_SEGMENTS = 4;
const catalog = new ProductCatalog(dynamodb, tableName, { maxAgeMs: CATALOG_MAX_AGE_MS, segments: SCAN_SEGMENTS });

/** ListProducts, GET /products: one page of the inventory, sorted and searched on the server. */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  if (!callerOf(event)) return UNAUTHORIZED;
  const check = parseProductQuery(event.queryStringParameters);
  if (!check.ok) return errorResponse(400, check.message);
  try {
    return jsonResponse(200, productPage(await catalog.products(), check.query, lowStockThreshold));
  } catch (error) {
    logger.error('Could not read the products', { error });
    return errorResponse(500, 'The products could not be read. Try again in a moment.');
  }
}
