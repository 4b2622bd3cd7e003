/**
 * `npm run conformance [-- --verbose]`: the local runtime against what AWS answered.
 * Reads the AWS-recorded vectors in ../shared/fidelity (beside the project; see its
 * README), runs each through the project's own mapping-template renderer, event filter
 * and partial batch response handling, and prints per area how many got the same answer
 * as AWS, how many were refused as "not supported locally", and how many got a
 * different answer, each of those by name (--verbose lists the refusals too).
 *
 * Exit 0: no different answer; 1: at least one; 2: the vectors are not there.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitCodeOf, formatReport } from './conformance/outcome';
import { FidelityFolderMissing, runConformance } from './conformance/run';

const FIDELITY = resolve(__dirname, '..', '..', 'shared', 'fidelity');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
  try {
    const reports = await runConformance(FIDELITY);
    console.log(formatReport(reports, values.verbose));
    return exitCodeOf(reports);
  } catch (error) {
    if (!(error instanceof FidelityFolderMissing)) throw error;
    console.error(error.message);
    return 2;
  }
}

main().then((code) => process.exit(code));
