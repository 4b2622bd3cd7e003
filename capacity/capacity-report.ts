/** The capacity report as a person reads it in a terminal or a README. */
import { FIGURES_DATE, FIGURES_REGION } from './aws-limits-and-prices';
import type { CostLine, Limit, PipelineCapacity } from './pipeline-capacity';
import type { SimulationResult, SimulationRun } from './orders-simulation';

const PER_SECONDS = { second: 1, minute: 60 } as const;

/** Units of work in the pipeline's own terms: orders/s, products/s, reports/min. */
export function ceilingText(capacity: PipelineCapacity, perSecond: number): string {
  const value = perSecond * PER_SECONDS[capacity.per];
  const shown = value >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
  return `${shown} ${capacity.unit}s/${capacity.per === 'second' ? 's' : 'min'}`;
}

export function totalUsd(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usd, 0);
}

export function usd(value: number): string {
  return `$${value < 10 ? value.toFixed(2) : value.toFixed(0)}`;
}

function limitLine(capacity: PipelineCapacity, limit: Limit): string {
  const kind = limit.raisable === undefined ? 'setting' : limit.raisable ? 'AWS quota, raisable' : 'AWS limit';
  return `    ${ceilingText(capacity, limit.perSecond).padEnd(22)} ${limit.name} [${kind}]: ${limit.detail}`;
}

export function formatCapacity(capacity: PipelineCapacity, label: string): string {
  const [binding, next] = capacity.limits;
  const lines = [
    `${capacity.pipeline} (${label})`,
    `  ceiling  ${ceilingText(capacity, binding.perSecond)}, bound by ${binding.name}`,
    next ? `  next     ${ceilingText(capacity, next.perSecond)}, ${next.name}` : '',
    '  limits, lowest first:',
    ...capacity.limits.map((limit) => limitLine(capacity, limit)),
    `  cost per million ${capacity.unit}s: ${usd(totalUsd(capacity.perMillion))}`,
    ...capacity.perMillion.map((line) => `    ${usd(line.usd).padStart(8)}  ${line.item}`),
    `  cost per idle month: ${usd(totalUsd(capacity.idleMonth))}`,
    ...capacity.idleMonth.map((line) => `    ${usd(line.usd).padStart(8)}  ${line.item}`),
    '  durations:',
    ...capacity.durations.map(
      ({ functionName, duration }) =>
        `    ${functionName}: ${duration.perInvocationMs.toFixed(1)} ms + ${duration.perRecordMs.toFixed(2)} ms per record, ${duration.measured ? 'measured locally' : 'NOT measured'} (${duration.source})`,
    ),
    ...capacity.notes.map((note) => `  note: ${note}`),
  ];
  return lines.filter((line) => line !== '').join('\n');
}

export interface ProfileCapacity {
  readonly profile: string;
  readonly pipelines: readonly PipelineCapacity[];
}

/** One Markdown table: each pipeline under each profile, side by side. */
export function formatProfileTable(profiles: readonly ProfileCapacity[]): string {
  const rows = profiles.flatMap(({ profile, pipelines }) =>
    pipelines.map((capacity) => {
      const [binding, next] = capacity.limits;
      return `| ${capacity.pipeline} | ${profile} | ${ceilingText(capacity, binding.perSecond)} | ${binding.name} | ${next ? `${next.name} (${ceilingText(capacity, next.perSecond)})` : ''} | ${usd(totalUsd(capacity.perMillion))} | ${usd(totalUsd(capacity.idleMonth))} |`;
    }),
  );
  return [
    `| pipeline | profile | ceiling | bound by | next limit | per million | idle month |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function sourcesLine(): string {
  return `AWS quotas and prices: ${FIGURES_REGION}, arm64, as of ${FIGURES_DATE} (capacity/aws-limits-and-prices.ts names each figure's source page).`;
}

export function formatSimulation(run: SimulationRun, label: string, result: SimulationResult): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `orders-pipeline simulated (${label}): ${run.rate} orders/s for ${run.seconds} s`,
    `  arrived ${result.arrived}, refused by the API throttle ${result.refused}, emailed ${result.delivered}`,
    `  latency, arrival to email: p50 ${seconds(result.latencyMs.p50)}, p95 ${seconds(result.latencyMs.p95)}, p99 ${seconds(result.latencyMs.p99)}, max ${seconds(result.latencyMs.max)}`,
    `  after the last arrival, ${seconds(result.drainMs)} until the last email`,
    '  backlogs:',
    ...result.backlogs.map(
      (backlog) => `    ${backlog.stage}: max ${backlog.maxDepth}, mean ${backlog.meanDepth.toFixed(1)}, mean wait ${seconds(backlog.meanWaitMs)}`,
    ),
    `  backlog builds at: ${result.bottleneck ?? 'nowhere (every stage keeps up)'}${result.refused > 0 ? '; the API throttle refuses the excess (429)' : ''}`,
  ].join('\n');
}
