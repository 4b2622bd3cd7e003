/** The products API's query, as the Inventory table holds it. */
export type SortColumn = 'productId' | 'name' | 'quantity' | 'price';
export type SortOrder = 'asc' | 'desc';

export interface ProductsQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly sort: SortColumn;
  readonly order: SortOrder;
  readonly search: string;
}

export interface Product {
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  readonly price: number;
  readonly lowStock: boolean;
}

export interface ProductsPage {
  readonly items: readonly Product[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
  readonly sort: SortColumn;
  readonly order: SortOrder;
  readonly search: string;
  readonly lowStockThreshold: number;
}

export const FIRST_QUERY: ProductsQuery = { page: 1, pageSize: 25, sort: 'productId', order: 'asc', search: '' };

/** `GET {inventoryApi}/products?...`; an empty search is left out. */
export function productsUrl(inventoryApi: string, query: ProductsQuery): string {
  const params = new URLSearchParams({
    page: String(query.page),
    pageSize: String(query.pageSize),
    sort: query.sort,
    order: query.order,
  });
  const search = query.search.trim();
  if (search !== '') params.set('search', search);
  return `${inventoryApi}/products?${params.toString()}`;
}

/** A header click: the same column flips its order, another column starts ascending on page 1. */
export function sortedBy(query: ProductsQuery, column: SortColumn): ProductsQuery {
  const order: SortOrder = query.sort === column && query.order === 'asc' ? 'desc' : 'asc';
  return { ...query, sort: column, order, page: 1 };
}

/** A new search starts on page 1 (page 7 of the old results may not exist). */
export function searchedFor(query: ProductsQuery, search: string): ProductsQuery {
  return { ...query, search, page: 1 };
}

export function onPage(query: ProductsQuery, page: number, pages: number): ProductsQuery {
  return { ...query, page: Math.min(Math.max(1, page), Math.max(1, pages)) };
}

/** "Page 1 of 1" for an empty table rather than "Page 1 of 0". */
export function pageLabel(page: number, pages: number): string {
  return `Page ${page} of ${Math.max(1, pages)}`;
}

export function ariaSort(query: ProductsQuery, column: SortColumn): 'ascending' | 'descending' | 'none' {
  if (query.sort !== column) return 'none';
  return query.order === 'asc' ? 'ascending' : 'descending';
}

const PRICE = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat('en');

export function formatPrice(price: number): string {
  return PRICE.format(price);
}

export function formatCount(count: number): string {
  return COUNT.format(count);
}

export function totalLabel(total: number, search: string): string {
  const products = `${formatCount(total)} ${total === 1 ? 'product' : 'products'}`;
  return search.trim() === '' ? products : `${products} match "${search.trim()}"`;
}
