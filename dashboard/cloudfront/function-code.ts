import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../constructs/bundle';

/** From the project root: the app runs bundled from dist/app, where __dirname is not this folder. */
const FUNCTIONS_DIR = join(PROJECT_ROOT, 'dashboard', 'cloudfront');

/** The dashboard's CloudFront Functions, each kept as the plain JavaScript CloudFront runs. */
export const CLOUDFRONT_FUNCTIONS = {
  spaRouting: 'spa-routing.js',
  stripApiPrefix: 'strip-api-prefix.js',
} as const;

export type CloudFrontFunctionName = keyof typeof CLOUDFRONT_FUNCTIONS;

/** The runtime the code is written for: ES 5.1 plus what CloudFront's 2.0 runtime adds. */
export const CLOUDFRONT_FUNCTION_RUNTIME = 'cloudfront-js-2.0';

/** A function's source, read at synth so that the file is what CloudFront runs. */
export function cloudFrontFunctionCode(name: CloudFrontFunctionName): string {
  return readFileSync(join(FUNCTIONS_DIR, CLOUDFRONT_FUNCTIONS[name]), 'utf8');
}
