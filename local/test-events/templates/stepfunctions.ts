/**
 * What a state machine's `lambda:invoke` task hands its function: the task's `Payload`
 * with its paths filled in, for an execution started now. The report workflow's tasks
 * read the execution's name and, after the first, the supplier data the first returns,
 * which is the state input used here unless `--body` gives another.
 */
import { functionNameOf } from '../../lambda/function-arn';
import { stateMachines } from '../../stack/state-machines';
import { findFunction } from '../../stack/stack-functions';
import type { SynthesizedStack } from '../../stack/synthesized-stack';
import { sampleSupplierData } from '../sample-data';
import { stackNames } from '../stack-names';
import { TemplateOptionError, type TestEventTemplate } from '../test-event-template';

interface LambdaTask {
  readonly stateName: string;
  readonly functionName: string;
  readonly payload: unknown;
}

interface StateDefinition {
  readonly Type?: string;
  readonly Resource?: string;
  readonly Parameters?: { readonly FunctionName?: string; readonly Payload?: unknown };
  readonly Branches?: readonly { readonly States: Record<string, StateDefinition> }[];
  readonly ItemProcessor?: { readonly States: Record<string, StateDefinition> };
  readonly Iterator?: { readonly States: Record<string, StateDefinition> };
}

export const stepFunctionsTemplate: TestEventTemplate = {
  name: 'stepfunctions',
  description: "the input a state machine's task gives its function (default: the first task)",
  options: ['functionName', 'body'],
  unfit: (stack) => (lambdaTasks(stack).length === 0 ? 'no state machine invokes a function' : undefined),
  build: ({ stack, options, now }) => {
    const tasks = lambdaTasks(stack);
    const wanted = options.functionName === undefined ? tasks[0].functionName : findFunction(stack, options.functionName).functionName;
    const task = tasks.find((candidate) => candidate.functionName === wanted);
    if (!task) {
      throw new TemplateOptionError(`No state machine task invokes ${wanted}. Tasks: ${tasks.map((t) => `${t.stateName} (${t.functionName})`).join(', ')}.`);
    }
    const stateInput = options.body === undefined ? sampleSupplierData(now) : parseStateInput(options.body);
    const executionName = `local-test-${now.getTime()}`;
    return fillPaths(task.payload, { stateInput, executionName });
  },
};

function lambdaTasks(stack: SynthesizedStack): LambdaTask[] {
  const names = stackNames(stack);
  return stateMachines(stack, (value) => names.resolve(value)).flatMap(({ definition }) =>
    tasksIn((definition as { States: Record<string, StateDefinition> }).States),
  );
}

function tasksIn(states: Record<string, StateDefinition>): LambdaTask[] {
  return Object.entries(states).flatMap(([stateName, state]): LambdaTask[] => {
    const nested = [...(state.Branches ?? []), ...(state.ItemProcessor ? [state.ItemProcessor] : []), ...(state.Iterator ? [state.Iterator] : [])];
    if (nested.length > 0) return nested.flatMap((branch) => tasksIn(branch.States));
    const functionArn = state.Parameters?.FunctionName;
    if (state.Type !== 'Task' || !state.Resource?.startsWith('arn:aws:states:::lambda:invoke') || functionArn === undefined) return [];
    return [{ stateName, functionName: functionNameOf(functionArn), payload: state.Parameters?.Payload ?? {} }];
  });
}

function parseStateInput(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TemplateOptionError(`--body must be the state input as JSON: ${(error as Error).message}`);
  }
}

/** Fills a payload template's `"<key>.$"` fields: the paths these stacks use, and a loud refusal of any other. */
function fillPaths(template: unknown, values: { readonly stateInput: unknown; readonly executionName: string }): unknown {
  if (Array.isArray(template)) return template.map((item) => fillPaths(item, values));
  if (template === null || typeof template !== 'object') return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => {
      if (!key.endsWith('.$')) return [key, fillPaths(value, values)];
      return [key.slice(0, -2), pathValue(String(value), values)];
    }),
  );
}

function pathValue(path: string, { stateInput, executionName }: { readonly stateInput: unknown; readonly executionName: string }): unknown {
  if (path === '$$.Execution.Name') return executionName;
  if (path === '$') return stateInput;
  throw new TemplateOptionError(`The stepfunctions template cannot fill the path ${path}; write the input by hand.`);
}
