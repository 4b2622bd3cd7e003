import type { ProductQuery, SortField } from './product-query';

/** A product as the table holds it (the seed's four attributes). */
export interface Product {
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  readonly price: number;
}

/** A product with its lower-cased text, computed once per scan rather than once per search. */
export interface IndexedProduct extends Product {
  readonly searchText: { readonly productId: string; readonly name: string };
}

export function indexProduct(product: Product): IndexedProduct {
  return { ...product, searchText: { productId: product.productId.toLowerCase(), name: product.name.toLowerCase() } };
}

export interface ProductPage {
  readonly items: readonly (Product & { readonly lowStock: boolean })[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
  readonly sort: SortField;
  readonly order: 'asc' | 'desc';
  readonly search: string;
  readonly lowStockThreshold: number;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const COMPARE: Record<SortField, (a: Product, b: Product) => number> = {
  productId: (a, b) => collator.compare(a.productId, b.productId),
  name: (a, b) => collator.compare(a.name, b.name),
  quantity: (a, b) => a.quantity - b.quantity,
  price: (a, b) => a.price - b.price,
};

/**
 * Sorted copies of one catalog snapshot, per sort and order: made once, so that every
 * further page of that order costs a filter and a slice. Dropped with the snapshot.
 */
const sortedCopies = new WeakMap<readonly IndexedProduct[], Map<string, readonly IndexedProduct[]>>();

function sortedBy(products: readonly IndexedProduct[], sort: SortField, order: 'asc' | 'desc'): readonly IndexedProduct[] {
  let copies = sortedCopies.get(products);
  if (!copies) sortedCopies.set(products, (copies = new Map()));
  const key = `${sort} ${order}`;
  let sorted = copies.get(key);
  if (!sorted) {
    const direction = order === 'asc' ? 1 : -1;
    const compare = COMPARE[sort];
    sorted = [...products].sort((a, b) => direction * (compare(a, b) || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)));
    copies.set(key, sorted);
  }
  return sorted;
}

/**
 * One page of the products matching the search, sorted. Ties are broken by productId (the
 * key, so unique), in the same direction, so that pages never overlap or skip a product.
 * A page past the last is empty, not an error: a search may have narrowed the list.
 */
export function productPage(products: readonly IndexedProduct[], query: ProductQuery, lowStockThreshold: number): ProductPage {
  const needle = query.search.toLowerCase();
  const sorted = sortedBy(products, query.sort, query.order);
  // Filtering keeps the sorted order.
  const matching = needle === '' ? sorted : sorted.filter((p) => p.searchText.productId.includes(needle) || p.searchText.name.includes(needle));
  const start = (query.page - 1) * query.pageSize;
  const items = matching.slice(start, start + query.pageSize).map(({ productId, name, quantity, price }) => ({
    productId,
    name,
    quantity,
    price,
    // The threshold NotifyInventoryUpdate emails about: at or below it.
    lowStock: quantity <= lowStockThreshold,
  }));
  return {
    items,
    total: matching.length,
    page: query.page,
    pageSize: query.pageSize,
    pages: Math.max(1, Math.ceil(matching.length / query.pageSize)),
    sort: query.sort,
    order: query.order,
    search: query.search,
    lowStockThreshold,
  };
}
