/**
 * What differs between an environment people rely on and one made to try things out,
 * written once. The constructs read them from the stack they are in
 * (stack-environment.ts), so a new table or function gets its environment's rules
 * without anyone passing them on.
 *
 * | rule                  | development                 | production                                   |
 * |-----------------------|-----------------------------|----------------------------------------------|
 * | protectData           | off: `destroy` removes all  | tables, the database and user pools refuse deletion; the database leaves a final snapshot |
 * | logRetentionDays      | 14 (cheap)                  | 365 (a year to look back on an incident)     |
 * | emptyBucketsOnDestroy | yes: `destroy` empties them | no: `destroy` fails on a bucket that holds files, which stay |
 * | requireAlarmAddress   | no                          | yes: synth refuses alarms that reach no one  |
 */
export type EnvironmentProfile = 'development' | 'production';

export interface EnvironmentRules {
  readonly profile: EnvironmentProfile;
  readonly protectData: boolean;
  readonly logRetentionDays: number;
  readonly emptyBucketsOnDestroy: boolean;
  readonly requireAlarmAddress: boolean;
}

export const ENVIRONMENT_RULES: Readonly<Record<EnvironmentProfile, EnvironmentRules>> = {
  development: { profile: 'development', protectData: false, logRetentionDays: 14, emptyBucketsOnDestroy: true, requireAlarmAddress: false },
  production: { profile: 'production', protectData: true, logRetentionDays: 365, emptyBucketsOnDestroy: false, requireAlarmAddress: true },
};

/** Environment names that mean production when no profile is given. */
const PRODUCTION_NAMES = new Set(['prod', 'production', 'prd']);

export function profileFor(environment: string): EnvironmentProfile {
  return PRODUCTION_NAMES.has(environment) ? 'production' : 'development';
}
