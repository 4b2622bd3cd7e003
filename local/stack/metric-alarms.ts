/**
 * Reads a stack's CloudWatch alarms (`aws_cloudwatch_metric_alarm`): which metric each
 * watches, of what (its dimensions, resolved to local names and ARNs), and when it fires.
 */
import type { Resolve, SynthesizedStack } from './synthesized-stack';

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export interface MetricAlarmSettings {
  readonly alarmName: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Maximum`..., or a percentile such as `p99`. */
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
}

/** Alarms on one metric of one resource; metric-math alarms (`metric_query`) have no single metric and are left out. */
export function metricAlarms(stack: SynthesizedStack, resolve: Resolve): MetricAlarmSettings[] {
  return Object.values(stack.resources('aws_cloudwatch_metric_alarm')).flatMap((config) => {
    if (typeof config.metric_name !== 'string' || typeof config.namespace !== 'string') return [];
    const dimensions = (config.dimensions ?? {}) as Record<string, string>;
    return [
      {
        alarmName: resolve(String(config.alarm_name)),
        namespace: config.namespace,
        metricName: config.metric_name,
        dimensions: Object.fromEntries(Object.entries(dimensions).map(([name, value]) => [name, resolve(String(value))])),
        statistic: String(config.extended_statistic ?? config.statistic ?? 'Average'),
        periodSeconds: typeof config.period === 'number' ? config.period : 60,
        threshold: typeof config.threshold === 'number' ? config.threshold : Number(config.threshold),
        comparison: String(config.comparison_operator) as ComparisonOperator,
      },
    ];
  });
}

export function breaches(value: number, alarm: Pick<MetricAlarmSettings, 'threshold' | 'comparison'>): boolean {
  switch (alarm.comparison) {
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.threshold;
    case 'LessThanThreshold':
      return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.threshold;
  }
}
