import { html } from 'htm/preact';
import type { ProblemRow } from '../upload-outcome';

/** Why a file was refused, one problem a row: the pipeline's columns, whoever found the problem. */
export function ProblemsTable({ rows }: { rows: readonly ProblemRow[] }) {
  if (rows.length === 0) return null;
  return html`
    <div class="table-scroll">
      <table class="problems">
        <caption>Reasons</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Product ID</th>
            <th scope="col">Field</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row, index) => html`
              <tr key=${index}>
                <td class="number">${row.item}</td>
                <td>${row.productId}</td>
                <td>${row.field}</td>
                <td>${row.reason}</td>
              </tr>
            `,
          )}
        </tbody>
      </table>
    </div>
  `;
}
