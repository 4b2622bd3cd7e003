import {
  FIRST_QUERY,
  ariaSort,
  formatPrice,
  onPage,
  pageLabel,
  productsUrl,
  searchedFor,
  sortedBy,
  totalLabel,
} from '../../dashboard/src/products-query';

describe('products query', () => {
  test('the first page: 25 products by productId, ascending, no search parameter', () => {
    expect(productsUrl('/api/inventory', FIRST_QUERY)).toBe('/api/inventory/products?page=1&pageSize=25&sort=productId&order=asc');
  });

  test('a search is trimmed and encoded', () => {
    const url = productsUrl('/api/inventory', { ...FIRST_QUERY, search: '  café & co ' });
    expect(new URL(url, 'https://x.test').searchParams.get('search')).toBe('café & co');
    expect(url).toContain('search=caf%C3%A9+%26+co');
  });

  test('clicking the sorted column flips its order; another column starts ascending on page 1', () => {
    const onPage3 = { ...FIRST_QUERY, page: 3 };
    expect(sortedBy(onPage3, 'productId')).toEqual({ ...FIRST_QUERY, order: 'desc', page: 1 });
    expect(sortedBy(sortedBy(FIRST_QUERY, 'productId'), 'productId').order).toBe('asc');
    expect(sortedBy({ ...onPage3, order: 'desc' }, 'price')).toEqual({ ...FIRST_QUERY, sort: 'price', order: 'asc', page: 1 });
  });

  test('a new search goes back to page 1', () => {
    expect(searchedFor({ ...FIRST_QUERY, page: 7 }, 'mouse')).toEqual({ ...FIRST_QUERY, search: 'mouse', page: 1 });
  });

  test('pages stay between 1 and the last', () => {
    expect(onPage(FIRST_QUERY, 0, 5).page).toBe(1);
    expect(onPage(FIRST_QUERY, 9, 5).page).toBe(5);
    expect(onPage(FIRST_QUERY, 2, 0).page).toBe(1);
  });

  test('labels', () => {
    expect(pageLabel(1, 0)).toBe('Page 1 of 1');
    expect(pageLabel(3, 400)).toBe('Page 3 of 400');
    expect(totalLabel(10000, '')).toBe('10,000 products');
    expect(totalLabel(1, ' lap ')).toBe('1 product match "lap"');
    expect(formatPrice(1200)).toBe('1,200.00');
    expect(formatPrice(0.5)).toBe('0.50');
  });

  test('aria-sort names the sorted column only', () => {
    const byPriceDesc = { ...FIRST_QUERY, sort: 'price' as const, order: 'desc' as const };
    expect(ariaSort(byPriceDesc, 'price')).toBe('descending');
    expect(ariaSort(byPriceDesc, 'name')).toBe('none');
    expect(ariaSort(FIRST_QUERY, 'productId')).toBe('ascending');
  });
});
