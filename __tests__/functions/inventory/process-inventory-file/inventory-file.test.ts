import {
  MAX_LISTED_PROBLEMS,
  NAME_MAX_LENGTH,
  PRODUCT_ID_MAX_LENGTH,
  oversizedFileRejection,
  parseInventoryFile,
  type InventoryFileCheck,
  type InventoryRejection,
} from '../../../../functions/inventory/process-inventory-file/inventory-file';
import { SEED_INVENTORY_TEXT } from '../../support/seed-inventory';

const LAPTOP = { productId: 'P1001', name: 'Laptop', quantity: 20, price: 1200 };
const MOUSE = { productId: 'P1002', name: 'Mouse', quantity: 100, price: 20 };

function rejectionOf(check: InventoryFileCheck): InventoryRejection {
  if (check.valid) throw new Error(`expected a rejection, got ${check.items.length} valid items`);
  return check.rejection;
}

function rejectionOfItems(items: unknown[]): InventoryRejection {
  return rejectionOf(parseInventoryFile(JSON.stringify(items)));
}

describe('a valid file', () => {
  it('accepts the seed inventory.json and returns its items exactly', () => {
    expect(parseInventoryFile(SEED_INVENTORY_TEXT)).toEqual({ valid: true, items: [LAPTOP, MOUSE] });
  });

  it('reads UTF-8 bytes, with or without a byte order mark', () => {
    const bytes = new TextEncoder().encode(SEED_INVENTORY_TEXT);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);

    expect(parseInventoryFile(bytes)).toEqual({ valid: true, items: [LAPTOP, MOUSE] });
    expect(parseInventoryFile(withBom)).toEqual({ valid: true, items: [LAPTOP, MOUSE] });
  });

  it('keeps values as written: non-ASCII names, zero quantities and prices, decimal prices', () => {
    const items = [
      { productId: 'Größe-XL/1', name: 'Café crème "deluxe" & co', quantity: 0, price: 0 },
      { productId: 'P-9', name: 'スポンジ', quantity: 9007199254740991, price: 0.3 },
    ];

    expect(parseInventoryFile(JSON.stringify(items))).toEqual({ valid: true, items });
  });

  it('accepts ids and names at their length limits', () => {
    const item = {
      productId: 'P'.repeat(PRODUCT_ID_MAX_LENGTH),
      name: 'n'.repeat(NAME_MAX_LENGTH),
      quantity: 1,
      price: 1,
    };

    expect(parseInventoryFile(JSON.stringify([item])).valid).toBe(true);
  });
});

describe('a file that is not a list of products', () => {
  it("rejects the seed's BUG 7, a trailing comma, with the parser's message", () => {
    const trailingComma = SEED_INVENTORY_TEXT.replace(/}\n]/, '},\n]');

    const rejection = rejectionOf(parseInventoryFile(trailingComma));

    expect(rejection.reason).toBe('The file is not valid JSON');
    expect(rejection.errorCount).toBe(1);
    expect(rejection.errors[0].message).toMatch(/^the file is not valid JSON: Unexpected token/);
  });

  it('says where the parser stopped when it gives a position', () => {
    const rejection = rejectionOf(parseInventoryFile('[\n  {"productId": "P1" "name": "x"}\n]'));

    expect(rejection.errors[0].message).toMatch(/at position \d+ \(line 2, column 22\)$/);
  });

  it('rejects an empty file', () => {
    expect(rejectionOf(parseInventoryFile('')).errors[0].message).toMatch(
      /not valid JSON: Unexpected end of JSON input/,
    );
  });

  it('rejects bytes that are not UTF-8 (a file saved as UTF-16)', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(SEED_INVENTORY_TEXT, 'utf16le')]);

    expect(rejectionOf(parseInventoryFile(utf16))).toEqual({
      reason: 'The file is not UTF-8 text',
      errorCount: 1,
      errors: [{ message: expect.stringMatching(/not valid UTF-8/) }],
    });
  });

  it.each([
    ['an object', '{"productId": "P1001", "name": "Laptop", "quantity": 20, "price": 1200}', 'an object'],
    ['an object wrapping the list', `{"items": ${SEED_INVENTORY_TEXT}}`, 'an object'],
    ['a string', '"P1001"', 'the string "P1001"'],
    ['null', 'null', 'null'],
  ])('rejects %s', (_label, text, described) => {
    expect(rejectionOf(parseInventoryFile(text))).toEqual({
      reason: 'The file is not a JSON array of products',
      errorCount: 1,
      errors: [
        {
          message: `the file must be a JSON array of products (objects with productId, name, quantity and price), got ${described}`,
        },
      ],
    });
  });

  it('rejects an empty array: it lists no products', () => {
    expect(rejectionOf(parseInventoryFile('[]'))).toEqual({
      reason: 'The file lists no products',
      errorCount: 1,
      errors: [{ message: 'the file is an empty array: it lists no products' }],
    });
  });
});

describe('an invalid item', () => {
  it.each<[string, unknown, { field?: string; message: string | RegExp }]>([
    [
      'a string',
      'P1001',
      { message: /^item must be an object with productId, name, quantity and price, got the string "P1001"$/ },
    ],
    ['an array', ['P1001', 'Laptop', 20, 1200], { message: /got an array$/ }],
    ['null', null, { message: /got null$/ }],
    [
      'missing productId',
      { name: 'Laptop', quantity: 20, price: 1200 },
      { field: 'productId', message: 'productId is missing' },
    ],
    ['empty productId', { ...LAPTOP, productId: '' }, { field: 'productId', message: 'productId must not be empty' }],
    [
      'blank productId',
      { ...LAPTOP, productId: '   ' },
      { field: 'productId', message: 'productId must not be empty' },
    ],
    [
      "a numeric productId (the seed's BUG 3)",
      { ...LAPTOP, productId: 1001 },
      {
        field: 'productId',
        message: "productId must be a string matching the table's partition key (productId, String), got 1001",
      },
    ],
    [
      'productId with surrounding spaces',
      { ...LAPTOP, productId: ' P1001' },
      { field: 'productId', message: 'productId must not start or end with spaces' },
    ],
    [
      'an over-long productId',
      { ...LAPTOP, productId: 'P'.repeat(PRODUCT_ID_MAX_LENGTH + 1) },
      { field: 'productId', message: `productId must be at most 255 characters, got 256` },
    ],
    ['missing name', { productId: 'P1001', quantity: 20, price: 1200 }, { field: 'name', message: 'name is missing' }],
    ['empty name', { ...LAPTOP, name: ' ' }, { field: 'name', message: 'name must not be empty' }],
    ['a numeric name', { ...LAPTOP, name: 42 }, { field: 'name', message: 'name must be a string, got 42' }],
    [
      'an over-long name',
      { ...LAPTOP, name: 'n'.repeat(NAME_MAX_LENGTH + 1) },
      { field: 'name', message: /at most 1024 characters, got 1025/ },
    ],
    [
      'missing quantity',
      { productId: 'P1001', name: 'Laptop', price: 1200 },
      { field: 'quantity', message: 'quantity is missing' },
    ],
    [
      'negative quantity',
      { ...LAPTOP, quantity: -1 },
      { field: 'quantity', message: 'quantity must be a whole number of at least 0, got -1' },
    ],
    [
      'fractional quantity',
      { ...LAPTOP, quantity: 2.5 },
      { field: 'quantity', message: 'quantity must be a whole number of at least 0, got 2.5' },
    ],
    ['quantity as a string', { ...LAPTOP, quantity: '20' }, { field: 'quantity', message: /got the string "20"$/ }],
    [
      'quantity beyond a safe integer',
      { ...LAPTOP, quantity: 2 ** 53 },
      { field: 'quantity', message: /got 9007199254740992$/ },
    ],
    [
      'missing price',
      { productId: 'P1001', name: 'Laptop', quantity: 20 },
      { field: 'price', message: 'price is missing' },
    ],
    [
      'negative price',
      { ...LAPTOP, price: -0.01 },
      { field: 'price', message: 'price must be a number of at least 0, got -0.01' },
    ],
    [
      'price "NaN"',
      { ...LAPTOP, price: 'NaN' },
      { field: 'price', message: 'price must be a number of at least 0, got the string "NaN"' },
    ],
    [
      'price null',
      { ...LAPTOP, price: null },
      { field: 'price', message: 'price must be a number of at least 0, got null' },
    ],
    [
      'a price JavaScript cannot hold exactly',
      { ...LAPTOP, price: 1e16 },
      { field: 'price', message: /at most 9007199254740991, got 10000000000000000$/ },
    ],
    [
      'a price DynamoDB cannot store',
      { ...LAPTOP, price: 1e-200 },
      { field: 'price', message: /too small for DynamoDB to store/ },
    ],
    ['an unknown field', { ...LAPTOP, colour: 'grey' }, { field: 'colour', message: /^unexpected field "colour"/ }],
  ])('rejects %s, naming the item', (_label, item, problem) => {
    const rejection = rejectionOfItems([MOUSE, item]);

    expect(rejection.reason).toBe('1 of 2 products is invalid');
    expect(rejection.errorCount).toBe(1);
    expect(rejection.errors).toEqual([
      {
        index: 1,
        ...(problem.field === undefined ? {} : { field: problem.field }),
        message: typeof problem.message === 'string' ? problem.message : expect.stringMatching(problem.message),
        ...productIdOf(item),
      },
    ]);
  });

  it('rejects a price too large to be a number at all (1e400)', () => {
    const rejection = rejectionOf(
      parseInventoryFile('[{"productId": "P1", "name": "x", "quantity": 1, "price": 1e400}]'),
    );

    expect(rejection.errors).toEqual([
      expect.objectContaining({
        index: 0,
        field: 'price',
        message: 'price must be a number of at least 0, got a number too large to represent',
      }),
    ]);
  });
});

function productIdOf(item: unknown): { productId?: string } {
  const id = (item as { productId?: unknown } | null)?.productId;
  return typeof id === 'string' && id.trim() !== '' ? { productId: id } : {};
}

describe('every problem of a file', () => {
  it('reports each duplicate productId at its later occurrences, with the index of the first', () => {
    const rejection = rejectionOfItems([LAPTOP, MOUSE, { ...LAPTOP, quantity: 3 }, MOUSE, LAPTOP]);

    expect(rejection.reason).toBe('3 of 5 products are invalid');
    expect(rejection.errors).toEqual([
      {
        index: 2,
        productId: 'P1001',
        field: 'productId',
        message: 'duplicate productId "P1001": item 0 has it too, and each product may be listed once',
      },
      {
        index: 3,
        productId: 'P1002',
        field: 'productId',
        message: 'duplicate productId "P1002": item 1 has it too, and each product may be listed once',
      },
      {
        index: 4,
        productId: 'P1001',
        field: 'productId',
        message: 'duplicate productId "P1001": item 0 has it too, and each product may be listed once',
      },
    ]);
  });

  it('reports several problems of one item, one by one', () => {
    const rejection = rejectionOfItems([
      { productId: 'P7', name: '', quantity: -2, price: 'free', colour: 'red', size: 'L' },
    ]);

    expect(rejection.reason).toBe('1 of 1 products is invalid');
    expect(rejection.errorCount).toBe(5);
    expect(rejection.errors.map(({ index, productId, field }) => ({ index, productId, field }))).toEqual([
      { index: 0, productId: 'P7', field: 'name' },
      { index: 0, productId: 'P7', field: 'quantity' },
      { index: 0, productId: 'P7', field: 'price' },
      { index: 0, productId: 'P7', field: 'colour' },
      { index: 0, productId: 'P7', field: 'size' },
    ]);
  });

  it('reports every bad item of a file by index, and accepts none of the good ones', () => {
    const rejection = rejectionOfItems([
      LAPTOP,
      { ...MOUSE, productId: 1002 },
      { productId: 'P1003', name: 'Keyboard', quantity: 1.5, price: 30 },
      MOUSE,
      'P1004',
      { productId: 'P1005', name: 'Monitor', quantity: 5, price: -1 },
    ]);

    expect(rejection.reason).toBe('4 of 6 products are invalid');
    expect(rejection.errors.map(({ index, field }) => [index, field])).toEqual([
      [1, 'productId'],
      [2, 'quantity'],
      [4, undefined],
      [5, 'price'],
    ]);
  });

  it(`lists at most ${MAX_LISTED_PROBLEMS} problems by default and counts them all`, () => {
    const items = Array.from({ length: MAX_LISTED_PROBLEMS / 2 + 1 }, () => ({}));

    const rejection = rejectionOfItems(items);

    // Four missing fields per item.
    expect(rejection.errorCount).toBe(4 * items.length);
    expect(rejection.errors).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(rejection.reason).toBe(`${items.length} of ${items.length} products are invalid`);
  });

  it('lists as many problems as asked', () => {
    const check = parseInventoryFile(JSON.stringify([{}, {}]), { maxListedProblems: 3 });

    expect(rejectionOf(check)).toMatchObject({ errorCount: 8, errors: [{ index: 0 }, { index: 0 }, { index: 0 }] });
  });
});

describe('oversizedFileRejection', () => {
  it('gives the size and the limit', () => {
    expect(oversizedFileRejection(10_485_761, 10_485_760)).toEqual({
      reason: 'The file is too large',
      errorCount: 1,
      errors: [{ message: 'the file is 10485761 bytes, over the limit of 10485760 bytes' }],
    });
  });
});
