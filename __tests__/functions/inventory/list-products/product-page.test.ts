import { indexProduct, productPage, type IndexedProduct } from '../../../../functions/inventory/list-products/product-page';
import { parseProductQuery, type ProductQuery } from '../../../../functions/inventory/list-products/product-query';

const products: IndexedProduct[] = [
  { productId: 'P1001', name: 'Laptop', quantity: 20, price: 999.99 },
  { productId: 'P1002', name: 'Mouse', quantity: 5, price: 19.99 },
  { productId: 'P10', name: 'mousepad', quantity: 0, price: 4.5 },
  { productId: 'P2', name: '<img src=x onerror=alert(1)>', quantity: 6, price: 1 },
].map(indexProduct);
const query = (overrides: Partial<ProductQuery> = {}): ProductQuery => ({ page: 1, pageSize: 25, sort: 'productId', order: 'asc', search: '', ...overrides });

describe('productPage', () => {
  it('sorts product ids as a person reads them (P2 before P10), marks low stock at or below the threshold', () => {
    const page = productPage(products, query(), 5);
    expect(page.items.map((item) => item.productId)).toEqual(['P2', 'P10', 'P1001', 'P1002']);
    expect(page.items.map((item) => item.lowStock)).toEqual([false, true, false, true]);
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 25, pages: 1, sort: 'productId', order: 'asc', search: '', lowStockThreshold: 5 });
    expect(Object.keys(page.items[0]).sort()).toEqual(['lowStock', 'name', 'price', 'productId', 'quantity']);
  });

  it.each([
    ['name', 'asc', ['<img src=x onerror=alert(1)>', 'Laptop', 'Mouse', 'mousepad']],
    ['quantity', 'desc', ['Laptop', '<img src=x onerror=alert(1)>', 'Mouse', 'mousepad']],
    ['price', 'asc', ['<img src=x onerror=alert(1)>', 'mousepad', 'Mouse', 'Laptop']],
  ] as const)('sorts by %s %s', (sort, order, names) => {
    expect(productPage(products, query({ sort, order }), 5).items.map((item) => item.name)).toEqual(names);
  });

  it('searches product id and name, ignoring case', () => {
    expect(productPage(products, query({ search: 'MOUSE' }), 5).items.map((item) => item.productId)).toEqual(['P10', 'P1002']);
    expect(productPage(products, query({ search: 'p100' }), 5).total).toBe(2);
    expect(productPage(products, query({ search: 'nothing' }), 5)).toMatchObject({ items: [], total: 0, pages: 1 });
  });

  it('pages without overlap or gaps, ties broken by product id, and answers an empty page past the end', () => {
    const many = Array.from({ length: 53 }, (_, index) => indexProduct({ productId: `X${index}`, name: 'Same', quantity: 1, price: 1 }));
    const seen = [1, 2, 3].flatMap((page) => productPage(many, query({ sort: 'name', pageSize: 25, page }), 5).items.map((item) => item.productId));
    expect(new Set(seen).size).toBe(53);
    expect(productPage(many, query({ pageSize: 25 }), 5).pages).toBe(3);
    expect(productPage(many, query({ page: 4 }), 5).items).toEqual([]);
  });
});

describe('parseProductQuery', () => {
  it('defaults to the first 25 products by id', () => {
    expect(parseProductQuery(null)).toEqual({ ok: true, query: query() });
    expect(parseProductQuery({ page: '3', pageSize: '100', sort: 'price', order: 'desc', search: ' mouse ' })).toEqual({
      ok: true,
      query: { page: 3, pageSize: 100, sort: 'price', order: 'desc', search: 'mouse' },
    });
  });

  it.each([
    [{ page: '0' }, 'page must be a whole number of at least 1.'],
    [{ page: 'two' }, 'page must be a whole number of at least 1.'],
    [{ pageSize: '101' }, 'pageSize must be a whole number from 1 to 100.'],
    [{ pageSize: '2.5' }, 'pageSize must be a whole number from 1 to 100.'],
    [{ sort: 'colour' }, 'sort must be one of productId, name, quantity, price.'],
    [{ order: 'up' }, 'order must be asc or desc.'],
    [{ search: 'x'.repeat(256) }, 'search must be at most 255 characters.'],
  ])('refuses %j with a sentence', (parameters, message) => {
    expect(parseProductQuery(parameters)).toEqual({ ok: false, message });
  });
});
