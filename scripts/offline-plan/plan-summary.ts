/** The parts of `terraform show -json <plan>` this summary reads. */
export interface PlanJson {
  resource_changes?: { address: string; mode: string; type: string; change: { actions: string[] } }[];
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  /** Also counted in create and delete, as Terraform's own "to add"/"to destroy" do. */
  replace: number;
  dataReads: number;
  /** Managed resource types with planned changes, and how many of each, sorted by type. */
  types: [string, number][];
}

function isReplace(actions: string[]): boolean {
  return actions.includes('create') && actions.includes('delete');
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, replace: 0, dataReads: 0, types: [] };
  const types = new Map<string, number>();
  for (const change of plan.resource_changes ?? []) {
    const actions = change.change.actions;
    if (change.mode === 'data') {
      if (actions.includes('read')) summary.dataReads++;
      continue;
    }
    if (actions.every((action) => action === 'no-op')) continue;
    if (actions.includes('create')) summary.create++;
    if (actions.includes('update')) summary.update++;
    if (actions.includes('delete')) summary.delete++;
    if (isReplace(actions)) summary.replace++;
    types.set(change.type, (types.get(change.type) ?? 0) + 1);
  }
  summary.types = [...types.entries()].sort(([a], [b]) => a.localeCompare(b));
  return summary;
}

/** Human-readable lines: one with the totals, then one per resource type. */
export function formatPlanSummary(summary: PlanSummary): string[] {
  const replaced = summary.replace > 0 ? ` (${summary.replace} of them replacements)` : '';
  const reads = summary.dataReads > 0 ? `, ${summary.dataReads} data sources to read` : '';
  const total = summary.types.reduce((sum, [, count]) => sum + count, 0);
  const width = Math.max(0, ...summary.types.map(([type]) => type.length));
  return [
    `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete${replaced}${reads}; ${total} resources in ${summary.types.length} types:`,
    ...summary.types.map(([type, count]) => `  ${type.padEnd(width)}  ${count}`),
  ];
}
