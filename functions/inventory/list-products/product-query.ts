/** What GET /products accepts in its query string. */
export const SORT_FIELDS = ['productId', 'name', 'quantity', 'price'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

export interface ProductQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly sort: SortField;
  readonly order: SortOrder;
  /** Matched case-insensitively within productId or name; '' matches every product. */
  readonly search: string;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
export const MAX_SEARCH_LENGTH = 255;

export type ProductQueryCheck = { readonly ok: true; readonly query: ProductQuery } | { readonly ok: false; readonly message: string };

/** Reads the query string; a value that is present but wrong is refused with a sentence naming it. */
export function parseProductQuery(parameters: Record<string, string | undefined> | null | undefined): ProductQueryCheck {
  const given = parameters ?? {};
  const whole = (name: string, fallback: number, min: number, max: number): number | string => {
    const raw = given[name];
    if (raw === undefined || raw === '') return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      return max === Number.MAX_SAFE_INTEGER ? `${name} must be a whole number of at least ${min}.` : `${name} must be a whole number from ${min} to ${max}.`;
    }
    return value;
  };
  const page = whole('page', 1, 1, Number.MAX_SAFE_INTEGER);
  if (typeof page === 'string') return { ok: false, message: page };
  const pageSize = whole('pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  if (typeof pageSize === 'string') return { ok: false, message: pageSize };

  const sort = given.sort || 'productId';
  if (!(SORT_FIELDS as readonly string[]).includes(sort)) return { ok: false, message: `sort must be one of ${SORT_FIELDS.join(', ')}.` };
  const order = given.order || 'asc';
  if (order !== 'asc' && order !== 'desc') return { ok: false, message: 'order must be asc or desc.' };
  const search = (given.search ?? '').trim();
  if (search.length > MAX_SEARCH_LENGTH) return { ok: false, message: `search must be at most ${MAX_SEARCH_LENGTH} characters.` };
  return { ok: true, query: { page, pageSize, sort: sort as SortField, order, search } };
}
