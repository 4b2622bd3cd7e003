/** One product of an inventory file, which is also one row of InventoryTable. */
export interface InventoryItem {
  /** The table's partition key (String). */
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  readonly price: number;
}

/** One reason a file was rejected. */
export interface InventoryProblem {
  /** Position of the item in the file's array, from 0. Absent when the whole file is at fault. */
  readonly index?: number;
  /** The item's productId, when it has a usable one: how a person finds the item again. */
  readonly productId?: string;
  /** The field at fault, when one is. */
  readonly field?: string;
  readonly message: string;
}

/** Why a file cannot be written, with every problem found in it. */
export interface InventoryRejection {
  /** One sentence for the log and the top of the report. */
  readonly reason: string;
  /** Every problem found, including those not listed. */
  readonly errorCount: number;
  /** The problems in file order, at most `maxListedProblems` of them. */
  readonly errors: readonly InventoryProblem[];
}

export type InventoryFileCheck =
  | { readonly valid: true; readonly items: readonly InventoryItem[] }
  | { readonly valid: false; readonly rejection: InventoryRejection };

export interface ParseOptions {
  /**
   * Problems listed at most; the rest are only counted. A 10 MB file of `{}` holds
   * millions of problems, and a list of all of them would exhaust the function's memory.
   * @default MAX_LISTED_PROBLEMS
   */
  readonly maxListedProblems?: number;
}

/** The seed's item shape, and nothing else: the table keeps exactly these attributes. */
export const INVENTORY_FIELDS = ['productId', 'name', 'quantity', 'price'] as const;
export const PRODUCT_ID_MAX_LENGTH = 255;
export const NAME_MAX_LENGTH = 1024;
export const MAX_LISTED_PROBLEMS = 10_000;
/** Larger numbers lose precision in JavaScript, and the SDK refuses to marshall them. */
const LARGEST_PRICE = Number.MAX_SAFE_INTEGER;
/** DynamoDB refuses non-zero numbers of smaller magnitude ("Number underflow"). */
const SMALLEST_NON_ZERO_PRICE = 1e-130;

const FIELD_LIST = 'productId, name, quantity and price';

/**
 * Validates a whole inventory file and returns its items, or every problem found in it.
 *
 * Nothing is written unless the whole file is valid, so the checks cover everything
 * DynamoDB or the SDK would refuse later (duplicate keys in a batch, numbers out of
 * range, oversized strings): a write failure then always means a transient fault that a
 * retry can fix, never a bad file retried until it expires.
 *
 * Items are returned exactly as the file has them; values are never trimmed or converted.
 */
export function parseInventoryFile(content: Uint8Array | string, options: ParseOptions = {}): InventoryFileCheck {
  let text: string;
  try {
    // fatal: a file saved as UTF-16 or Latin-1 would otherwise store garbled names.
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return rejectFile('The file is not UTF-8 text', 'the file is not valid UTF-8: save it as UTF-8, as JSON requires');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return rejectFile(
      'The file is not valid JSON',
      `the file is not valid JSON: ${describeParseError(error as Error, text)}`,
    );
  }
  if (!Array.isArray(parsed)) {
    return rejectFile(
      'The file is not a JSON array of products',
      `the file must be a JSON array of products (objects with ${FIELD_LIST}), got ${describeValue(parsed)}`,
    );
  }
  if (parsed.length === 0) {
    return rejectFile('The file lists no products', 'the file is an empty array: it lists no products');
  }

  const problems = new ProblemList(options.maxListedProblems ?? MAX_LISTED_PROBLEMS);
  const firstIndexOf = new Map<string, number>();
  let invalidItems = 0;
  parsed.forEach((item: unknown, index) => {
    const before = problems.count;
    checkItem(item, index, problems, firstIndexOf);
    if (problems.count > before) invalidItems++;
  });

  if (invalidItems > 0) {
    const verb = invalidItems === 1 ? 'is' : 'are';
    return {
      valid: false,
      rejection: {
        reason: `${invalidItems} of ${parsed.length} products ${verb} invalid`,
        errorCount: problems.count,
        errors: problems.listed,
      },
    };
  }
  return { valid: true, items: parsed as InventoryItem[] };
}

/** A file over the size limit is rejected unread: parsing it could exhaust the function's memory. */
export function oversizedFileRejection(sizeBytes: number, maxBytes: number): InventoryRejection {
  return {
    reason: 'The file is too large',
    errorCount: 1,
    errors: [{ message: `the file is ${sizeBytes} bytes, over the limit of ${maxBytes} bytes` }],
  };
}

function rejectFile(reason: string, message: string): InventoryFileCheck {
  return { valid: false, rejection: { reason, errorCount: 1, errors: [{ message }] } };
}

function checkItem(item: unknown, index: number, problems: ProblemList, firstIndexOf: Map<string, number>): void {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    problems.add({ index, message: `item must be an object with ${FIELD_LIST}, got ${describeValue(item)}` });
    return;
  }
  const fields = item as Record<string, unknown>;
  const { productId } = fields;
  const usableId = typeof productId === 'string' && productId.trim() !== '' ? productId : undefined;
  const report = (field: string, message: string) =>
    problems.add({ index, ...(usableId === undefined ? {} : { productId: usableId }), field, message });

  const productIdProblem = checkProductId(productId);
  if (productIdProblem !== undefined) report('productId', productIdProblem);
  const nameProblem = checkName(fields.name);
  if (nameProblem !== undefined) report('name', nameProblem);
  const quantityProblem = checkQuantity(fields.quantity);
  if (quantityProblem !== undefined) report('quantity', quantityProblem);
  const priceProblem = checkPrice(fields.price);
  if (priceProblem !== undefined) report('price', priceProblem);
  for (const field of Object.keys(fields)) {
    if (!(INVENTORY_FIELDS as readonly string[]).includes(field)) {
      report(field, `unexpected field ${JSON.stringify(field)}: an item has ${FIELD_LIST} only`);
    }
  }

  // Only a valid id can collide; the later occurrence is the one reported.
  if (productIdProblem === undefined && typeof productId === 'string') {
    const first = firstIndexOf.get(productId);
    if (first === undefined) {
      firstIndexOf.set(productId, index);
    } else {
      report(
        'productId',
        `duplicate productId ${JSON.stringify(
          productId,
        )}: item ${first} has it too, and each product may be listed once`,
      );
    }
  }
}

function checkProductId(value: unknown): string | undefined {
  if (value === undefined) return 'productId is missing';
  if (typeof value !== 'string') {
    return `productId must be a string matching the table's partition key (productId, String), got ${describeValue(
      value,
    )}`;
  }
  if (value.trim() === '') return 'productId must not be empty';
  // " P1001" and "P1001" would be two different products in the table.
  if (value.trim() !== value) return 'productId must not start or end with spaces';
  if (value.length > PRODUCT_ID_MAX_LENGTH) {
    return `productId must be at most ${PRODUCT_ID_MAX_LENGTH} characters, got ${value.length}`;
  }
  return undefined;
}

function checkName(value: unknown): string | undefined {
  if (value === undefined) return 'name is missing';
  if (typeof value !== 'string') return `name must be a string, got ${describeValue(value)}`;
  if (value.trim() === '') return 'name must not be empty';
  if (value.length > NAME_MAX_LENGTH) return `name must be at most ${NAME_MAX_LENGTH} characters, got ${value.length}`;
  return undefined;
}

function checkQuantity(value: unknown): string | undefined {
  if (value === undefined) return 'quantity is missing';
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return `quantity must be a whole number of at least 0, got ${describeValue(value)}`;
  }
  return undefined;
}

function checkPrice(value: unknown): string | undefined {
  if (value === undefined) return 'price is missing';
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return `price must be a number of at least 0, got ${describeValue(value)}`;
  }
  if (value > LARGEST_PRICE) return `price must be at most ${LARGEST_PRICE}, got ${value}`;
  if (value > 0 && value < SMALLEST_NON_ZERO_PRICE) {
    return `price ${value} is too small for DynamoDB to store: use 0 or at least ${SMALLEST_NON_ZERO_PRICE}`;
  }
  return undefined;
}

/** Counts every problem, keeps the first `limit`. */
class ProblemList {
  count = 0;
  readonly listed: InventoryProblem[] = [];

  constructor(private readonly limit: number) {}

  add(problem: InventoryProblem): void {
    this.count++;
    if (this.listed.length < this.limit) this.listed.push(problem);
  }
}

/** The parser's own words, plus the line and column when it gives a position. */
function describeParseError(error: Error, text: string): string {
  const position = /at position (\d+)/.exec(error.message);
  if (position === null) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error.message} (line ${line}, column ${column})`;
}

/** Enough of a value to recognise it, never a whole object or a long string. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a number too large to represent';
  return String(value);
}
