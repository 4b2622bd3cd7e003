/**
 * Reads how to run one `aws_lambda_function` from the synthesized stack: its name,
 * handler, limits, environment, and the bundle Terraform would zip for it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceConfig, SynthesizedStack } from './synthesized-stack';

export interface FunctionSettings {
  readonly functionName: string;
  readonly codePath: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Record<string, string>;
  /** reserved_concurrent_executions when set; otherwise the local default. */
  readonly maxConcurrency?: number;
}

/** Lambda's defaults for arguments a stack leaves out. */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

// The constructs zip one bundled file per function (constructs/nodejs-function.ts).
const ARCHIVE_OUTPUT = /^\$\{data\.archive_file\.([A-Za-z0-9_-]+)\.output_path\}$/;

export function functionSettings(
  stack: SynthesizedStack,
  stackDir: string,
  config: ResourceConfig,
  resolve: (value: string) => string,
): FunctionSettings {
  const functionName = String(config.function_name);
  const variables = ((config.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<string, string>;
  const reserved = config.reserved_concurrent_executions;
  return {
    functionName,
    codePath: bundlePath(stack, stackDir, functionName, config),
    handler: String(config.handler ?? 'index.handler'),
    timeoutSeconds: typeof config.timeout === 'number' ? config.timeout : DEFAULT_TIMEOUT_SECONDS,
    memoryMb: typeof config.memory_size === 'number' ? config.memory_size : DEFAULT_MEMORY_MB,
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(String(value))])),
    maxConcurrency: typeof reserved === 'number' && reserved > 0 ? reserved : undefined,
  };
}

function bundlePath(stack: SynthesizedStack, stackDir: string, functionName: string, config: ResourceConfig): string {
  const archive = ARCHIVE_OUTPUT.exec(String(config.filename));
  if (!archive) {
    throw new Error(`Function ${functionName}: the local runtime runs code zipped by data.archive_file, not ${String(config.filename)}`);
  }
  const archiveConfig = stack.json.data?.archive_file?.[archive[1]];
  if (typeof archiveConfig?.source_file !== 'string') {
    throw new Error(`Function ${functionName}: data.archive_file.${archive[1]} has no source_file`);
  }
  const codePath = join(stackDir, archiveConfig.source_file);
  if (!existsSync(codePath)) {
    throw new Error(`Function ${functionName}: its bundle ${codePath} is missing; synthesize the stack again (npm run synth)`);
  }
  return codePath;
}
