/**
 * A stack's functions as a person names them: by the name the stack gives them
 * (`dev-POC-Lambda-1`, what the console and the logs show), by the construct id that
 * makes them in the code (`store-order`), or as the lab names them (`POC-Lambda-1`).
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
  return Object.entries(stack.resources('aws_lambda_function')).map(([resourceName, config]) => ({
    resourceName,
    functionName: String(config.function_name),
    constructId: constructIdOf(resourceName),
  }));
}

/**
 * cdktf names a resource by its construct path below the stack, joined by `_`, and a hash:
 * `store-order_function_E578E873` is the `function` of the construct `store-order`.
 */
function constructIdOf(resourceName: string): string {
  const path = resourceName.replace(/_[0-9A-F]{8}$/, '').split('_');
  return path.length >= 2 ? path[path.length - 2] : path[0];
}

/**
 * The function a person means: by its name, its construct id, or the lab's name without
 * the environment's prefix (`ProcessInventoryFile` for `dev-ProcessInventoryFile`) when
 * only one function has it. An unknown name lists the stack's functions.
 */
export function findFunction(stack: SynthesizedStack, name: string): StackFunction {
  const functions = stackFunctions(stack);
  const labNamed = functions.filter((fn) => fn.functionName.endsWith(`-${name}`));
  const found =
    functions.find((fn) => fn.functionName === name) ?? functions.find((fn) => fn.constructId === name) ?? (labNamed.length === 1 ? labNamed[0] : undefined);
  if (!found) throw new UnknownFunctionError(name, functions);
  return found;
}
