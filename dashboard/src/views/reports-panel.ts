import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { callApi, type Session } from '../api-client';
import { SessionEndedError } from '../api-error';
import type { DashboardConfig } from '../config';
import { messageOf } from '../messages';
import { pollUntil } from '../poll';
import { isFinished, reportOutcome, type ReportOutcome, type ReportStarted, type ReportStatus } from '../report-outcome';

type ReportState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running' }
  | { readonly kind: 'finished'; readonly outcome: ReportOutcome }
  | { readonly kind: 'undecided' }
  | { readonly kind: 'failed'; readonly message: string };

/** A report queries the database and sends an email: minutes at most, or something is stuck. */
const REPORT_WAIT = { firstDelayMs: 1500, maxDelayMs: 10_000, deadlineMs: 5 * 60 * 1000 };

interface Props {
  readonly config: DashboardConfig;
  readonly session: Session;
}

export function ReportsPanel({ config, session }: Props) {
  const [state, setState] = useState<ReportState>({ kind: 'idle' });

  async function createReport() {
    setState({ kind: 'running' });
    try {
      const started = await callApi<ReportStarted>(session, config.reportApi, { method: 'POST', body: {} });
      const statusUrl = `${config.reportApi}/${encodeURIComponent(started.executionId)}`;
      const result = await pollUntil(() => callApi<ReportStatus>(session, statusUrl), isFinished, REPORT_WAIT);
      setState(result.done ? { kind: 'finished', outcome: reportOutcome(result.value) } : { kind: 'undecided' });
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      setState({ kind: 'failed', message: messageOf(error) });
    }
  }

  return html`
    <section class="panel" aria-labelledby="reports-heading">
      <h2 id="reports-heading">Reports</h2>
      <p class="hint">A report of the coffee suppliers and their beans is made, emailed to the café, and linked here when it is ready.</p>
      <button type="button" class="primary" disabled=${state.kind === 'running'} onClick=${() => void createReport()}>Create report</button>
      <div role="status" class="report-status">
        ${state.kind === 'running' ? html`<p>Making the report...</p>` : null}
        ${state.kind === 'finished' && state.outcome.kind === 'ready'
          ? html`<p class="accepted">
              <a href=${state.outcome.url} target="_blank" rel="noopener">Open report</a>
              ${' '}${state.outcome.text}
            </p>`
          : null}
        ${state.kind === 'finished' && state.outcome.kind === 'failed' ? html`<p class="rejected">${state.outcome.text}</p>` : null}
        ${state.kind === 'undecided'
          ? html`<p class="rejected">
              The report has not finished after ${REPORT_WAIT.deadlineMs / 60000} minutes. It may still arrive by email.
            </p>`
          : null}
      </div>
      ${state.kind === 'failed' ? html`<p role="alert" class="error">${`The report could not be made: ${state.message}`}</p>` : null}
    </section>
  `;
}
