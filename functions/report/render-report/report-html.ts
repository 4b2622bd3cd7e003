import type { Bean, Supplier, SupplierData } from '../fetch-supplier-data/supplier-data';

export const REPORT_TITLE = 'Coffee supplier inventory report';

/** What the report says about itself, beyond the data: which execution made it. */
export interface ReportContext {
  readonly executionName: string;
}

/**
 * Markup that is safe to insert as it is: only `html` templates make it, and they escape
 * every value they are given. Text from the database can never become markup, because the
 * only way to put a plain string into the page is through escaping.
 */
class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five characters that matter in HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

type HtmlValue = SafeHtml | string | number | readonly SafeHtml[];

function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0];
  values.forEach((value, index) => {
    markup += markupOf(value) + strings[index + 1];
  });
  return new SafeHtml(markup);
}

function markupOf(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map((part: SafeHtml) => part.markup).join('');
  return escapeHtml(String(value));
}

// en-US grouping ("12,500") is the same in every ICU build Node ships.
const quantityFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * "23 November 2026, 10:00:00 UTC": built by hand rather than by Intl date styles, whose
 * wording changes between ICU versions, so the report reads the same wherever it renders.
 *
 * @throws RangeError when `iso` is not a date: a report must not guess when its data was read.
 */
export function formatReadAt(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`readAt ${JSON.stringify(iso)} is not an ISO 8601 date`);
  const date = new Date(time);
  const twoDigits = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ` +
    `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())} UTC`
  );
}

export interface ReportSummary {
  readonly suppliers: number;
  readonly beanProducts: number;
  readonly totalQuantity: number;
  readonly outOfStock: number;
}

export function summarize(data: SupplierData): ReportSummary {
  const beans = data.suppliers.flatMap((supplier) => supplier.beans);
  return {
    suppliers: data.suppliers.length,
    beanProducts: beans.length,
    totalQuantity: beans.reduce((total, bean) => total + bean.quantity, 0),
    outOfStock: beans.filter((bean) => bean.quantity === 0).length,
  };
}

// Inline, and the only style: the report is one object behind a presigned link, which
// cannot fetch anything else from the private bucket.
const STYLE = `
  :root { color-scheme: light; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fafaf7;
    margin: 0 auto; max-width: 60rem; padding: 2rem 1.25rem; line-height: 1.5; }
  h1 { margin: 0 0 0.25rem; font-size: 1.8rem; color: #4b2e1e; }
  h2 { margin: 0 0 0.5rem; font-size: 1.3rem; color: #4b2e1e; }
  .read-at { margin: 0 0 1.5rem; color: #57606a; }
  .summary { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0 0 2rem; padding: 0; list-style: none; }
  .summary li { flex: 1 1 10rem; background: #fff; border: 1px solid #d8d2c4; border-radius: 0.5rem; padding: 0.75rem 1rem; }
  .summary .value { display: block; font-size: 1.6rem; font-weight: 600; }
  .supplier { background: #fff; border: 1px solid #d8d2c4; border-radius: 0.5rem; padding: 1rem 1.25rem; margin: 0 0 1.25rem; }
  .contact { margin: 0 0 0.75rem; color: #57606a; font-style: normal; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid #eee8dc; }
  th { font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.03em; color: #57606a; }
  td.quantity, th.quantity { text-align: right; font-variant-numeric: tabular-nums; }
  tr.out-of-stock td { color: #8a1c1c; background: #fdf0f0; }
  .badge { display: inline-block; margin-left: 0.5rem; padding: 0 0.4rem; border-radius: 0.25rem;
    background: #8a1c1c; color: #fff; font-size: 0.75rem; font-weight: 600; text-transform: uppercase; }
  .empty { margin: 0; color: #57606a; font-style: italic; }
  footer { margin-top: 2rem; color: #57606a; font-size: 0.85rem; }
`;

/**
 * The report as one self-contained HTML5 document: every supplier with the beans it
 * supplies, in the order given, and a summary on top. Every value from `data` and
 * `context` is escaped, and the Content-Security-Policy forbids scripts and any outside
 * resource, so even a supplier named `<script>` shows as text.
 */
export function renderReportHtml(data: SupplierData, context: ReportContext): string {
  const summary = summarize(data);
  const document = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${REPORT_TITLE}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>
<h1>${REPORT_TITLE}</h1>
<p class="read-at">Supplier data read on <time datetime="${data.readAt}">${formatReadAt(data.readAt)}</time></p>
</header>
<main>
<section aria-labelledby="summary-heading">
<h2 id="summary-heading">Summary</h2>
<ul class="summary">
<li><span class="value">${summary.suppliers}</span> ${summary.suppliers === 1 ? 'supplier' : 'suppliers'}</li>
<li><span class="value">${summary.beanProducts}</span> bean ${summary.beanProducts === 1 ? 'product' : 'products'}</li>
<li><span class="value">${quantityFormat.format(summary.totalQuantity)}</span> total quantity</li>
<li><span class="value">${summary.outOfStock}</span> out of stock</li>
</ul>
</section>
${data.suppliers.length === 0 ? html`<p class="empty">No suppliers were found in the database.</p>\n` : data.suppliers.map(supplierSection)}</main>
<footer>
<p>Generated by the report pipeline, execution <code>${context.executionName}</code>.</p>
</footer>
</body>
</html>
`;
  return document.markup;
}

function supplierSection(supplier: Supplier, index: number): SafeHtml {
  const headingId = `supplier-${index + 1}`;
  const beans =
    supplier.beans.length === 0
      ? html`<p class="empty">This supplier lists no beans.</p>`
      : html`<table>
<thead><tr><th scope="col">Type</th><th scope="col">Product</th><th scope="col" class="quantity">Quantity</th></tr></thead>
<tbody>
${supplier.beans.map(beanRow)}</tbody>
</table>`;
  return html`<section class="supplier" aria-labelledby="${headingId}">
<h2 id="${headingId}">${supplier.name}</h2>
<address class="contact">${supplier.address}<br>Phone: ${supplier.phone}</address>
${beans}
</section>
`;
}

function beanRow(bean: Bean): SafeHtml {
  if (bean.quantity === 0) {
    return html`<tr class="out-of-stock"><td>${bean.type}</td><td>${bean.productName}</td><td class="quantity">0<span class="badge">out of stock</span></td></tr>\n`;
  }
  return html`<tr><td>${bean.type}</td><td>${bean.productName}</td><td class="quantity">${quantityFormat.format(bean.quantity)}</td></tr>\n`;
}
