import { join } from 'node:path';
import { buildApp } from '../../app';
import type { PipelineConfig } from '../../config';

/**
 * Synthesizes the whole app into `outdir` in this process, exactly as `cdktf synth`
 * does through main.ts, and returns one stack's directory: how tests and the benchmark
 * get a stack to run without touching the project's own cdktf.out.
 */
export function synthesizeStack(stackId: string, config: PipelineConfig, outdir: string): string {
  buildApp(config, outdir).synth();
  return join(outdir, 'stacks', stackId);
}
