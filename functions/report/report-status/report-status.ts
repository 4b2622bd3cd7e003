import type { PresignedReportLink } from '../presign-report-url/handler';

/** What GET /{executionId} answers for an execution the caller asked for. */
export interface ReportStatus {
  readonly executionId: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly reportUrl?: string;
  readonly linkExpiresAt?: string;
  /** Words for a person when there is no report to open. */
  readonly message?: string;
}

/** What the function reads of DescribeExecution. */
export interface DescribedExecution {
  readonly status?: string;
  readonly input?: string;
  readonly output?: string;
}

/** Step Functions names executions it starts with UUIDs; a name is at most 80 of these characters. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function isExecutionName(value: unknown): value is string {
  return typeof value === 'string' && EXECUTION_NAME.test(value);
}

/**
 * Who asked for the report, as the create_report API wrote it into the execution input
 * (`{"request": ..., "requestedBy": "<email>"}`); undefined when the input says no one.
 */
export function requestedByOf(execution: DescribedExecution): string | undefined {
  try {
    const input = JSON.parse(execution.input ?? '') as { requestedBy?: unknown };
    return typeof input?.requestedBy === 'string' && input.requestedBy !== '' ? input.requestedBy : undefined;
  } catch {
    return undefined;
  }
}

const FAILURE_MESSAGES = {
  FAILED: 'The report could not be made, and no link was sent. Try again in a few minutes; if it fails again, tell the person who runs the dashboard.',
  TIMED_OUT: 'The report took too long and was stopped. Try again in a few minutes.',
  ABORTED: 'The report was stopped before it was finished. Ask for a new one.',
} as const;

/**
 * The status of an execution the caller asked for. On success the link is the workflow's
 * output (`$.link`, kept by PublishReportLink's `ResultPath: null`): the one emailed.
 */
export function reportStatusOf(executionId: string, execution: DescribedExecution, now: Date): ReportStatus {
  const status = execution.status;
  if (status === 'SUCCEEDED') {
    const link = linkOf(execution.output);
    if (!link) return { executionId, status, message: 'The report is ready, but its link could not be read. Check your email for it.' };
    const expired = Date.parse(link.expiresAt) <= now.getTime();
    return {
      executionId,
      status,
      ...(expired ? {} : { reportUrl: link.url }),
      linkExpiresAt: link.expiresAt,
      ...(expired ? { message: 'The link to this report has expired. Ask for a new report.' } : {}),
    };
  }
  if (status === 'FAILED' || status === 'TIMED_OUT' || status === 'ABORTED') {
    return { executionId, status, message: FAILURE_MESSAGES[status] };
  }
  // RUNNING, and PENDING_REDRIVE (a failed execution being run again), are still on their way.
  return { executionId, status: 'RUNNING' };
}

function linkOf(output: string | undefined): PresignedReportLink | undefined {
  try {
    const link = (JSON.parse(output ?? '') as { link?: Partial<PresignedReportLink> })?.link;
    if (typeof link?.url === 'string' && typeof link.expiresAt === 'string') return link as PresignedReportLink;
  } catch {
    // Falls through: no readable link.
  }
  return undefined;
}
