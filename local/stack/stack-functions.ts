/**
 * A stack's functions as a person names them: by the name the stack gives them
 * (`dev-POC-Lambda-1`, what the console and the logs show) or by the construct id that
 * makes them in the code (`store-order`).
 */
import type { SynthesizedStack } from './synthesized-stack';

export interface StackFunction {
  /** The Terraform name of its `aws_lambda_function`. */
  readonly resourceName: string;
  readonly functionName: string;
  /** The id of the construct the function belongs to, e.g. `store-order` for `<stack>/store-order/function`. */
  readonly constructId: string;
}

export class UnknownFunctionError extends Error {
  constructor(name: string, known: readonly StackFunction[]) {
    const list = known.map((fn) => `${fn.functionName} (${fn.constructId})`).join(', ');
    super(known.length === 0 ? `There is no function named "${name}": this stack has no functions.` : `There is no function named "${name}". Functions of this stack: ${list}.`);
    this.name = 'UnknownFunctionError';
  }
}

export function stackFunctions(stack: SynthesizedStack): StackFunction[] {
  return Object.entries(stack.resources('aws_lambda_function')).map(([resourceName, config]) => {
    const path = (config['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? '';
    const segments = path.split('/');
    return {
      resourceName,
      functionName: String(config.function_name),
      constructId: segments.length >= 3 ? segments[segments.length - 2] : resourceName,
    };
  });
}

/** The function a person means, by either name; an unknown name lists the stack's functions. */
export function findFunction(stack: SynthesizedStack, name: string): StackFunction {
  const functions = stackFunctions(stack);
  const found = functions.find((fn) => fn.functionName === name) ?? functions.find((fn) => fn.constructId === name);
  if (!found) throw new UnknownFunctionError(name, functions);
  return found;
}
