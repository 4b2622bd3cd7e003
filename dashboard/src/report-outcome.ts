/** `POST {reportApi}`'s answer. */
export interface ReportStarted {
  readonly executionId: string;
  readonly executionArn: string;
  readonly startedAt: string;
}

export type ReportState = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** `GET {reportApi}/{executionId}`. */
export interface ReportStatus {
  readonly executionId: string;
  readonly status: ReportState;
  readonly reportUrl?: string;
  readonly linkExpiresAt?: string;
  readonly message?: string;
}

export type ReportOutcome =
  | { readonly kind: 'ready'; readonly url: string; readonly text: string }
  | { readonly kind: 'failed'; readonly text: string };

export function isFinished(status: ReportStatus): boolean {
  return status.status !== 'RUNNING';
}

/** A finished execution in words; a success without a link is reported as the fault it is. */
export function reportOutcome(status: ReportStatus): ReportOutcome {
  switch (status.status) {
    case 'SUCCEEDED':
      if (status.reportUrl === undefined || !isWebLink(status.reportUrl)) {
        return { kind: 'failed', text: 'The report was made, but no link to it came back. Check your email for it.' };
      }
      return {
        kind: 'ready',
        url: status.reportUrl,
        text: `The report is ready. It was also sent by email.${expiryNote(status.linkExpiresAt)}`,
      };
    case 'FAILED':
      return { kind: 'failed', text: `The report failed.${reasonNote(status.message)} Try again, or ask whoever runs the pipeline.` };
    case 'TIMED_OUT':
      return { kind: 'failed', text: `The report took too long and was stopped.${reasonNote(status.message)} Try again later.` };
    case 'ABORTED':
      return { kind: 'failed', text: `The report was cancelled before it finished.${reasonNote(status.message)}` };
    default:
      return { kind: 'failed', text: 'The report is still being made.' };
  }
}

/** Only http(s) links become an href: a `javascript:` URL from a bad answer must not run. */
export function isWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function reasonNote(message: string | undefined): string {
  return message === undefined || message.trim() === '' ? '' : ` ${sentence(message.trim())}`;
}

function expiryNote(linkExpiresAt: string | undefined): string {
  if (linkExpiresAt === undefined) return '';
  const when = new Date(linkExpiresAt);
  if (Number.isNaN(when.getTime())) return '';
  return ` The link works until ${when.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}.`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
