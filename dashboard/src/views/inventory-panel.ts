import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { callApi, isAbort, type Session } from '../api-client';
import { SessionEndedError } from '../api-error';
import type { DashboardConfig } from '../config';
import { messageOf } from '../messages';
import {
  FIRST_QUERY,
  ariaSort,
  formatCount,
  formatPrice,
  onPage,
  pageLabel,
  productsUrl,
  searchedFor,
  sortedBy,
  totalLabel,
  type ProductsPage,
  type ProductsQuery,
  type SortColumn,
} from '../products-query';

/** Long enough that typing a word sends one request, short enough to feel immediate. */
const SEARCH_DEBOUNCE_MS = 300;

/**
 * The products API answers from one table scan for up to 5 s (CATALOG_MAX_AGE_MS in
 * functions/inventory/list-products/handler.ts), so the reload at "Accepted" can show the
 * table as it was before the upload: the page reloads once more when that scan has aged out.
 */
export const AFTER_UPLOAD_RELOAD_MS = 6_000;

const COLUMNS: readonly { readonly column: SortColumn; readonly title: string; readonly numeric: boolean }[] = [
  { column: 'productId', title: 'Product ID', numeric: false },
  { column: 'name', title: 'Name', numeric: false },
  { column: 'quantity', title: 'Quantity', numeric: true },
  { column: 'price', title: 'Price', numeric: true },
];

interface Props {
  readonly config: DashboardConfig;
  readonly session: Session;
  /** Changes when an upload wrote products: the page reloads what it shows. */
  readonly refreshKey: number;
}

/** The products, a page at a time: the API sorts, filters and pages, so 10,000 products stay quick. */
export function InventoryPanel({ config, session, refreshKey }: Props) {
  const [query, setQuery] = useState<ProductsQuery>(FIRST_QUERY);
  const [searchText, setSearchText] = useState('');
  const [result, setResult] = useState<ProductsPage | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [settledKey, setSettledKey] = useState(0);

  useEffect(() => {
    if (refreshKey === 0) return undefined;
    const timer = setTimeout(() => setSettledKey((key) => key + 1), AFTER_UPLOAD_RELOAD_MS);
    return () => clearTimeout(timer);
  }, [refreshKey]);

  useEffect(() => {
    const timer = setTimeout(() => setQuery((current) => (current.search === searchText ? current : searchedFor(current, searchText))), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  useEffect(() => {
    // A newer query aborts the older request, so a slow answer never overwrites a newer one.
    const controller = new AbortController();
    setLoading(true);
    callApi<ProductsPage>(session, productsUrl(config.inventoryApi, query), { signal: controller.signal })
      .then((page) => {
        setResult(page);
        setError(undefined);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (isAbort(failure) || failure instanceof SessionEndedError) return;
        // Rows of an older query would pass for the answer to this one.
        setResult(undefined);
        setError(messageOf(failure));
        setLoading(false);
      });
    return () => controller.abort();
  }, [query, refreshKey, settledKey]);

  const pages = result?.pages ?? 1;
  return html`
    <section class="panel" aria-labelledby="inventory-heading">
      <h2 id="inventory-heading">Inventory</h2>
      <div class="toolbar">
        <label for="product-search">Search products</label>
        <input
          id="product-search"
          type="search"
          value=${searchText}
          placeholder="Product ID or name"
          autocomplete="off"
          onInput=${(event: Event) => setSearchText((event.currentTarget as HTMLInputElement).value)}
        />
        <p class="hint" aria-live="polite">
          ${result === undefined
            ? loading
              ? 'Loading products...'
              : ''
            : `${totalLabel(result.total, result.search)}. Low stock means a quantity of ${formatCount(result.lowStockThreshold)} or less.`}
        </p>
      </div>
      ${error === undefined ? null : html`<p role="alert" class="error">${`The products could not be loaded: ${error}`}</p>`}
      <div class="table-scroll">
        <table class="products" aria-busy=${loading ? 'true' : 'false'}>
          <caption class="visually-hidden">Products</caption>
          <thead>
            <tr>
              ${COLUMNS.map(
                ({ column, title, numeric }) => html`
                  <th key=${column} scope="col" aria-sort=${ariaSort(query, column)} class=${numeric ? 'number' : ''}>
                    <button type="button" class="sort" onClick=${() => setQuery((current) => sortedBy(current, column))}>
                      ${title}<span aria-hidden="true" class="sort-mark">${sortMark(ariaSort(query, column))}</span>
                    </button>
                  </th>
                `,
              )}
            </tr>
          </thead>
          <tbody>
            ${result?.items.map(
              (product) => html`
                <tr key=${product.productId} class=${product.lowStock ? 'low-stock' : ''}>
                  <td>${product.productId}</td>
                  <td>${product.name}</td>
                  <td class="number">
                    ${product.lowStock ? html`<span class="badge">Low stock</span> ` : null}${formatCount(product.quantity)}
                  </td>
                  <td class="number">${formatPrice(product.price)}</td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
      ${result !== undefined && result.items.length === 0
        ? html`<p class="empty">
            ${result.search.trim() === '' ? 'No products yet. Upload an inventory file to add some.' : 'No products match this search.'}
          </p>`
        : null}
      <nav class="pager" aria-label="Product pages">
        <button type="button" disabled=${query.page <= 1} onClick=${() => setQuery((current) => onPage(current, current.page - 1, pages))}>
          Previous page
        </button>
        <span>${pageLabel(result?.page ?? query.page, pages)}</span>
        <button type="button" disabled=${query.page >= pages} onClick=${() => setQuery((current) => onPage(current, current.page + 1, pages))}>
          Next page
        </button>
      </nav>
    </section>
  `;
}

function sortMark(sort: 'ascending' | 'descending' | 'none'): string {
  if (sort === 'ascending') return ' ▲';
  if (sort === 'descending') return ' ▼';
  return '';
}
