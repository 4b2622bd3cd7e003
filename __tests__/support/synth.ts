import { Testing, TerraformStack } from 'cdktf';
// Declares the types of cdktf's jest matchers, which setup.js registers.
import 'cdktf/lib/testing/adapters/jest';
import { loadConfig, PipelineConfig } from '../../config';
import { SynthesizedStack } from '../../local/synthesized-stack';

export const TEST_CONFIG: PipelineConfig = loadConfig({ PIPELINE_ENV: 'test', PIPELINE_REGION: 'us-east-1' });

type StackClass = new (scope: import('constructs').Construct, id: string, config: PipelineConfig) => TerraformStack;

/** Synthesizes one stack as cdktf would, returning the JSON text cdktf's matchers read and a reader for it. */
export function synthStack(StackType: StackClass, id: string, config: PipelineConfig = TEST_CONFIG) {
  const app = Testing.app();
  const stack = new StackType(app, id, config);
  const synthesized = Testing.synth(stack);
  return { synthesized, stack: SynthesizedStack.parse(synthesized) };
}
