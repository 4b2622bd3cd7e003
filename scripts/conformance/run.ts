import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBatchVector } from './batch-vectors';
import { runFilterVector } from './filter-vectors';
import { exitCodeOf, formatReport, type AreaReport, type Outcome } from './outcome';
import { runVtlVector } from './vtl-vectors';

/** The folder of AWS-recorded vectors is not where it should be. */
export class FidelityFolderMissing extends Error {
  constructor(readonly folder: string) {
    super(`No AWS-recorded vectors at ${folder}: conformance needs ../shared/fidelity (vtl.json, filter.json, batch.json) beside the project.`);
    this.name = 'FidelityFolderMissing';
  }
}

/**
 * Runs every vector of `folder` (vtl.json, filter.json, batch.json) through the local
 * runtime's own code, area by area. Vectors are read at run time, never copied.
 *
 * @throws FidelityFolderMissing when the folder or one of its files is not there
 */
export async function runConformance(folder: string): Promise<AreaReport[]> {
  if (!existsSync(folder)) throw new FidelityFolderMissing(folder);
  const vtl = vectors<Parameters<typeof runVtlVector>[0]>(folder, 'vtl.json');
  const filter = vectors<Parameters<typeof runFilterVector>[0]>(folder, 'filter.json');
  const batch = vectors<Parameters<typeof runBatchVector>[0]>(folder, 'batch.json');
  const batchOutcomes: Outcome[] = [];
  for (const vector of batch) batchOutcomes.push(await runBatchVector(vector));
  return [
    { area: 'mapping templates', outcomes: vtl.map(runVtlVector) },
    { area: 'event filters', outcomes: filter.map(runFilterVector) },
    { area: 'partial batch responses', outcomes: batchOutcomes },
  ];
}

/**
 * The whole run, as `npm run conformance` makes it: the report on `out`, and the exit
 * code: 0 when no vector got a different answer, 1 when one did, 2 when the vectors are
 * not there (said on `err`).
 */
export async function conformance(folder: string, options: { verbose: boolean; out: (text: string) => void; err: (text: string) => void }): Promise<number> {
  let reports: AreaReport[];
  try {
    reports = await runConformance(folder);
  } catch (error) {
    if (!(error instanceof FidelityFolderMissing)) throw error;
    options.err(error.message);
    return 2;
  }
  options.out(formatReport(reports, options.verbose));
  return exitCodeOf(reports);
}

function vectors<T>(folder: string, file: string): T[] {
  const path = join(folder, file);
  if (!existsSync(path)) throw new FidelityFolderMissing(path);
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${path} should hold a JSON array of vectors`);
  return parsed as T[];
}
