import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { requireEnv } from '../../shared/require-env';
import type { SupplierData } from '../fetch-supplier-data/supplier-data';
import { reportKeyFor } from '../shared/report-location';
import { renderReportHtml } from './report-html';

// Module scope: read and built once per container, reused by every invocation.
const bucket = requireEnv('REPORT_BUCKET');
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_S3 when set (local emulators).
const s3 = new S3Client({});

/** What the state machine passes: its execution name, and the data step's output. */
export interface RenderReportInput {
  readonly executionName: string;
  readonly data: SupplierData;
}

export interface RenderedReport {
  readonly bucket: string;
  readonly key: string;
  /** Size of the stored object, in bytes of UTF-8. */
  readonly bytes: number;
}

const MAX_PROBLEMS_IN_MESSAGE = 10;

/**
 * The input is not what the state machine should pass. A distinct error name lets the
 * state machine's Retry leave it alone: running the same input again cannot fix it.
 */
export class InvalidReportInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    // A sample in the message: Step Functions keeps only the first 32 KB of an error's cause.
    const shown = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).join('; ');
    const more = problems.length > MAX_PROBLEMS_IN_MESSAGE ? `; and ${problems.length - MAX_PROBLEMS_IN_MESSAGE} more` : '';
    super(`Cannot render the report: ${shown}${more}`);
    this.name = 'InvalidReportInputError';
  }
}

/**
 * Render report: writes the supplier data as an HTML page to REPORT_BUCKET, at the key
 * the presign branch derives from the same execution name.
 *
 * A retry by the state machine puts the same report at the same key again, so it is safe.
 */
export async function handler(event: RenderReportInput, context: Context): Promise<RenderedReport> {
  logger.addContext(context);
  const { executionName, data } = validInput(event);
  const key = reportKeyFor(executionName);
  const body = Buffer.from(renderReportHtml(data, { executionName }), 'utf8');
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'text/html; charset=utf-8',
        // Someone opens it through a short-lived link; a cache must not keep it longer.
        CacheControl: 'no-store',
      }),
    );
  } catch (error) {
    logger.error('Could not store the report', { bucket, key, error });
    throw error;
  }
  logger.info('Report rendered', { bucket, key, bytes: body.length, suppliers: data.suppliers.length });
  return { bucket, key, bytes: body.length };
}

function validInput(event: unknown): RenderReportInput {
  const problems = inputProblems(event);
  if (problems.length > 0) {
    const error = new InvalidReportInputError(problems);
    logger.error('Rejected the render input', { problems });
    throw error;
  }
  return event as RenderReportInput;
}

/** Every way `event` differs from RenderReportInput, each naming the field at fault. */
function inputProblems(event: unknown): string[] {
  if (!isObject(event)) return [`the input must be an object with executionName and data, got ${describe(event)}`];
  const problems: string[] = [];
  const { executionName, data } = event;
  if (executionName === undefined) {
    problems.push('executionName is missing (pass $$.Execution.Name from the state machine)');
  } else if (typeof executionName !== 'string') {
    problems.push(`executionName must be a string, got ${describe(executionName)}`);
  } else {
    try {
      reportKeyFor(executionName);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (data === undefined) {
    problems.push("data is missing (pass the fetch supplier data step's output)");
  } else if (!isObject(data)) {
    problems.push(`data must be an object with readAt and suppliers, got ${describe(data)}`);
  } else {
    problems.push(...dataProblems(data));
  }
  return problems;
}

function dataProblems(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof data.readAt !== 'string' || Number.isNaN(Date.parse(data.readAt))) {
    problems.push(`data.readAt must be an ISO 8601 date string, got ${describe(data.readAt)}`);
  }
  if (!Array.isArray(data.suppliers)) {
    problems.push(`data.suppliers must be an array, got ${describe(data.suppliers)}`);
    return problems;
  }
  data.suppliers.forEach((supplier: unknown, s) => {
    const at = `data.suppliers[${s}]`;
    if (!isObject(supplier)) {
      problems.push(`${at} must be an object, got ${describe(supplier)}`);
      return;
    }
    if (!Number.isSafeInteger(supplier.id)) problems.push(`${at}.id must be a whole number, got ${describe(supplier.id)}`);
    for (const field of ['name', 'address', 'phone']) {
      if (typeof supplier[field] !== 'string') problems.push(`${at}.${field} must be a string, got ${describe(supplier[field])}`);
    }
    if (!Array.isArray(supplier.beans)) {
      problems.push(`${at}.beans must be an array (empty for no beans), got ${describe(supplier.beans)}`);
      return;
    }
    supplier.beans.forEach((bean: unknown, b) => {
      const beanAt = `${at}.beans[${b}]`;
      if (!isObject(bean)) {
        problems.push(`${beanAt} must be an object, got ${describe(bean)}`);
        return;
      }
      for (const field of ['type', 'productName']) {
        if (typeof bean[field] !== 'string') problems.push(`${beanAt}.${field} must be a string, got ${describe(bean[field])}`);
      }
      // beans.quantity is INT UNSIGNED.
      const { quantity } = bean;
      if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 0) {
        problems.push(`${beanAt}.quantity must be a whole number of at least 0, got ${describe(quantity)}`);
      }
    });
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}
