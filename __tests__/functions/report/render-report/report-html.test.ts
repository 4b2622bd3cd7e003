/**
 * The report page: what a person reads in it, and that no supplier text can become markup.
 * The page is read back the way a browser shows it (tags dropped, entities decoded), so the
 * assertions are about what is displayed, not about the exact markup.
 */
import type { SupplierData } from '../../../../functions/report/fetch-supplier-data/supplier-data';
import {
  escapeHtml,
  formatReadAt,
  renderReportHtml,
  REPORT_TITLE,
} from '../../../../functions/report/render-report/report-html';

const DATA: SupplierData = {
  readAt: '2026-11-23T10:04:05.000Z',
  suppliers: [
    {
      id: 2,
      name: 'Café do Vale',
      address: 'Rua das Flores 88, Minas Gerais, Brazil',
      phone: '+55 31 5550 0202',
      beans: [
        { type: 'Arabica', productName: 'Bourbon Amarelo', quantity: 12500 },
        { type: 'Arabica', productName: 'Yellow Catuaí', quantity: 0 },
      ],
    },
    {
      id: 1,
      name: 'Highland Roasters',
      address: '12 Glen Road, Inverness, UK',
      phone: '+44 1463 555 010',
      beans: [{ type: 'Robusta', productName: 'Highland Dark', quantity: 40 }],
    },
    { id: 3, name: 'Pacific Bean Co.', address: '500 Harbor Way, Seattle, WA', phone: '+1 206 555 0133', beans: [] },
  ],
};

const CONTEXT = { executionName: 'report-2026-11-23-abc123' };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** What a browser displays: no style, no tags, entities decoded, whitespace collapsed. */
function displayedText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_entity, name: string) => ENTITIES[name])
    .replace(/\s+/g, ' ');
}

/** The markup of the first element matching `open` up to its closing tag. */
function elementAfter(html: string, open: RegExp, tag: string): string {
  const start = html.search(open);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf(`</${tag}>`, start) + tag.length + 3);
}

function supplierSection(html: string, name: string): string {
  return elementAfter(html, new RegExp(`<section class="supplier"[^>]*>\\s*<h2[^>]*>${escapeHtml(name)}</h2>`), 'section');
}

const VOID_ELEMENTS = new Set(['meta', 'br', 'link', 'img', 'hr', 'input']);

/** Open and close tags pair up, properly nested: a browser builds the tree we wrote. */
function expectBalancedTags(html: string): void {
  const open: string[] = [];
  for (const [, closing, name] of html.replace(/<style>[\s\S]*?<\/style>/, '').matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const tag = name.toLowerCase();
    if (VOID_ELEMENTS.has(tag)) continue;
    if (closing) expect(open.pop()).toBe(tag);
    else open.push(tag);
  }
  expect(open).toEqual([]);
}

describe('the document', () => {
  const html = renderReportHtml(DATA, CONTEXT);

  it('is a complete, self-contained HTML5 page', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain(`<title>${REPORT_TITLE}</title>`);
    expect(REPORT_TITLE).toBe('Coffee supplier inventory report');
    expect(html.match(/<(html|head|body|main|footer)\b/g)).toEqual(['<html', '<head', '<body', '<main', '<footer']);
    expectBalancedTags(html);
    // Nothing to fetch: the page is one object behind a presigned link.
    expect(html).not.toMatch(/<(script|link|img|iframe)\b|\b(src|href)=|url\(|@import/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('has a heading and says when the data was read, in UTC', () => {
    expect(html).toMatch(/<h1>Coffee supplier inventory report<\/h1>/);
    expect(displayedText(html)).toContain('Supplier data read on 23 November 2026, 10:04:05 UTC');
    expect(html).toContain('<time datetime="2026-11-23T10:04:05.000Z">');
  });

  it('summarizes the number of suppliers, bean products and total quantity', () => {
    const summary = displayedText(elementAfter(html, /<ul class="summary">/, 'ul'));
    expect(summary).toBe(' 3 suppliers 3 bean products 12,540 total quantity 1 out of stock ');
  });

  it('names every supplier with address and phone, and lists every bean', () => {
    for (const supplier of DATA.suppliers) {
      const section = displayedText(supplierSection(html, supplier.name));
      expect(section).toContain(supplier.name);
      expect(section).toContain(`${supplier.address} Phone: ${supplier.phone}`);
      for (const bean of supplier.beans) {
        expect(section).toMatch(new RegExp(`${bean.type} ${bean.productName} ${bean.quantity === 0 ? '0' : '[\\d,]+'}`));
      }
    }
    expect(displayedText(supplierSection(html, 'Café do Vale'))).toContain(
      'Type Product Quantity Arabica Bourbon Amarelo 12,500 Arabica Yellow Catuaí 0 out of stock',
    );
  });

  it('keeps the suppliers in the order given', () => {
    const headings = [...html.matchAll(/<h2 id="supplier-\d+">([^<]*)<\/h2>/g)].map((match) => match[1]);
    expect(headings).toEqual(['Café do Vale', 'Highland Roasters', 'Pacific Bean Co.']);
  });

  it('marks a zero quantity as out of stock, and only that one', () => {
    const rows = [...html.matchAll(/<tr( class="out-of-stock")?><td>[\s\S]*?<\/tr>/g)];
    const outOfStock = rows.filter((row) => row[1] !== undefined).map((row) => displayedText(row[0]).trim());
    expect(outOfStock).toEqual(['Arabica Yellow Catuaí 0 out of stock']);
    expect(displayedText(html).match(/out of stock/g)).toHaveLength(2); // the row, and the summary
  });

  it('says so for a supplier with no beans, with no empty table', () => {
    const section = supplierSection(html, 'Pacific Bean Co.');
    expect(displayedText(section)).toContain('This supplier lists no beans.');
    expect(section).not.toContain('<table');
  });

  it('names the execution in the footer', () => {
    const footer = elementAfter(html, /<footer>/, 'footer');
    expect(footer).toContain('execution <code>report-2026-11-23-abc123</code>.');
    expect(displayedText(footer)).toMatch(/Generated by the report pipeline, execution report-2026-11-23-abc123 \./);
  });

  it('is the same for the same input', () => {
    expect(renderReportHtml(DATA, CONTEXT)).toBe(html);
  });
});

describe('escaping', () => {
  const HOSTILE: SupplierData = {
    readAt: '2026-11-23T10:00:00Z',
    suppliers: [
      {
        id: 1,
        name: '<script>alert(1)</script>',
        address: 'Smith & Sons, "The Yard", O\'Connell St <b>bold</b>',
        phone: '"><img src=x onerror=alert(2)>',
        beans: [
          { type: "Arabica' onmouseover='alert(3)", productName: '</td></tr></table><script>alert(4)</script>', quantity: 5 },
        ],
      },
      { id: 2, name: 'Tom & Jerry\'s "Beans"', address: '&amp; already escaped', phone: '&#60;', beans: [] },
    ],
  };
  const html = renderReportHtml(HOSTILE, { executionName: 'hostile' });

  it('lets no supplier text become markup', () => {
    // Hostile words may show as text; no tag of the page carries them.
    const tags = html.match(/<[a-zA-Z!/][^>]*>/g) ?? [];
    expect(tags.filter((tag) => /script|img|<b>|onerror|onmouseover|alert/i.test(tag))).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expectBalancedTags(html);
  });

  it('escapes & < > " and \' wherever supplier text appears', () => {
    expect(html).toContain('Smith &amp; Sons, &quot;The Yard&quot;, O&#39;Connell St &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('Tom &amp; Jerry&#39;s &quot;Beans&quot;');
    // Text that looks escaped already is shown as typed, not decoded.
    expect(html).toContain('&amp;amp; already escaped');
    expect(html).toContain('&amp;#60;');
    // Every & left in the page starts an entity we wrote.
    expect(html.replace(/<style>[\s\S]*?<\/style>/, '')).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
  });

  it('shows the hostile text exactly as it was stored', () => {
    const text = displayedText(html);
    for (const supplier of HOSTILE.suppliers) {
      expect(text).toContain(supplier.name);
      expect(text).toContain(supplier.address);
      expect(text).toContain(supplier.phone);
      for (const bean of supplier.beans) {
        expect(text).toContain(bean.type);
        expect(text).toContain(bean.productName);
      }
    }
  });

  it('escapes the execution name and readAt too', () => {
    const page = renderReportHtml(
      { readAt: '2026-11-23T10:00:00Z', suppliers: [] },
      { executionName: '<i>"x"</i>' },
    );
    expect(page).toContain('<code>&lt;i&gt;&quot;x&quot;&lt;/i&gt;</code>');
    expect(page).not.toContain('<i>');
  });

  it('escapeHtml escapes exactly the five characters', () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
    expect(escapeHtml('Crème brûlée 100%')).toBe('Crème brûlée 100%');
  });
});

describe('edge cases', () => {
  it('reports an empty database plainly', () => {
    const html = renderReportHtml({ readAt: '2026-01-02T03:04:05Z', suppliers: [] }, CONTEXT);
    const text = displayedText(html);
    expect(text).toContain('0 suppliers 0 bean products 0 total quantity 0 out of stock');
    expect(text).toContain('No suppliers were found in the database.');
    expectBalancedTags(html);
  });

  it('uses the singular for one supplier and one product', () => {
    const html = renderReportHtml(
      { readAt: '2026-01-02T03:04:05Z', suppliers: [{ ...DATA.suppliers[1] }] },
      CONTEXT,
    );
    expect(displayedText(html)).toContain('1 supplier 1 bean product 40 total quantity 0 out of stock');
  });

  it.each([
    ['2026-11-23T10:04:05.000Z', '23 November 2026, 10:04:05 UTC'],
    ['2026-01-01T00:30:00+02:00', '31 December 2025, 22:30:00 UTC'],
    ['2024-02-29T23:59:59.999Z', '29 February 2024, 23:59:59 UTC'],
  ])('formats readAt %s as %s', (iso, shown) => {
    expect(formatReadAt(iso)).toBe(shown);
  });

  it('refuses a readAt that is not a date rather than guess', () => {
    expect(() => renderReportHtml({ readAt: 'yesterday', suppliers: [] }, CONTEXT)).toThrow(
      'readAt "yesterday" is not an ISO 8601 date',
    );
  });
});
