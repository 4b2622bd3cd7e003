import { Testing, TerraformStack } from 'cdktf';
// Declares the types of cdktf's jest matchers, which setup.js registers.
import 'cdktf/lib/testing/adapters/jest';
import type { Construct } from 'constructs';
import { loadConfig, PipelineConfig } from '../../config';
import { ReportPipelineStack } from '../../stacks/report-pipeline';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';

export const TEST_CONFIG: PipelineConfig = loadConfig({ PIPELINE_ENV: 'test', PIPELINE_REGION: 'us-east-1' });

type StackClass = new (scope: Construct, id: string, config: PipelineConfig) => TerraformStack;

/** Synthesizes one stack as cdktf would, returning the JSON text cdktf's matchers read and a reader for it. */
export function synthStack(StackType: StackClass, id: string, config: PipelineConfig = TEST_CONFIG) {
  const app = Testing.app();
  const stack = new StackType(app, id, config);
  const synthesized = Testing.synth(stack);
  return { synthesized, stack: SynthesizedStack.parse(synthesized) };
}

/** The one entry of a record (the one resource of a type), failing the test if there are more or none. */
export function only<T>(record: Record<string, T>): [string, T] {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0];
}

/** A synthesized function by its function name, and the environment the stack gives it. */
export function functionOf(stack: SynthesizedStack, functionName: string) {
  const config = stack.resource('aws_lambda_function', stack.findName('aws_lambda_function', 'function_name', functionName));
  return { config, variables: (config.environment as { variables: Record<string, string> }).variables };
}

/** The pool the report stack trusts in tests: the inventory stack's, as app.ts passes it (app.test.ts checks the reference). */
export const TEST_USER_POOL = { id: 'us-east-1_Dashboard' };

/** The report pipeline with the pool app.ts gives it, taking only what synthStack gives a stack. */
export class ReportPipelineTestStack extends ReportPipelineStack {
  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config, { userPool: TEST_USER_POOL });
  }
}
