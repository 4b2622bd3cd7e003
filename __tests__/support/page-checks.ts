import type { Page } from 'playwright-core';

/**
 * axe-core run inside the page: its serious and critical findings. The script is loaded from
 * `axeUrl` on the site's own origin, because the page's CSP (script-src 'self') refuses an
 * inline copy, and the check should run with the CSP the page really has.
 */
export async function seriousAccessibilityFindings(page: Page, axeUrl: string): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.addScriptTag({ url: axeUrl });
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) })))',
  )) as { id: string; impact: string; nodes: string[] }[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/**
 * Presses Tab `presses` times from where the focus is, and for each `name` the position of
 * the first control Tab reached whose label, aria-label or text is (or starts with) it; -1
 * when Tab never reached it. Also what each press reached, to say so when the order is wrong.
 */
export async function tabOrder(page: Page, names: readonly string[], presses: number): Promise<{ reached: string[]; positions: number[] }> {
  const reached: string[] = [];
  for (let press = 0; press < presses; press++) {
    await page.keyboard.press('Tab');
    reached.push(
      (await page.evaluate(
        '(() => { const e = document.activeElement; const label = e.labels && e.labels[0] ? e.labels[0].textContent : ""; return (label || e.getAttribute("aria-label") || e.textContent || e.tagName).trim(); })()',
      )) as string,
    );
  }
  const positions = names.map((name) => reached.findIndex((text) => text === name || text.startsWith(`${name} `)));
  return { reached, positions };
}
