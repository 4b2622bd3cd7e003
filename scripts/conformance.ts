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
import { conformance } from './conformance/run';

const FIDELITY = resolve(__dirname, '..', '..', 'shared', 'fidelity');

const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
conformance(FIDELITY, { verbose: values.verbose, out: console.log, err: console.error }).then((code) => process.exit(code));
