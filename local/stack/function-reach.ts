/**
 * The part of a synthesized stack that one function needs in order to run on its own (as
 * `npm run local -- invoke` runs it, like the console's Test button): what its
 * configuration refers to (its environment's table, topic or database secret), what its
 * role is granted (the bucket it reads), what those refer to in turn (a queue's
 * dead-letter queue), the subscriptions of its topics, and what `terraform apply` runs
 * against a resource it shares (the database migrations). Left out is what invokes it:
 * event source mappings, bucket notifications, state machines and the API, and the
 * queue or stream it is polled from, which its role can read only for the mapping's sake.
 *
 * The environment and the role are the whole of it because every ARN, name and URL a
 * handler uses arrives as an environment variable, and everything else it touches it
 * must be granted.
 */
import { SynthesizedStack, type ResourceConfig } from './synthesized-stack';

/** `aws_<type>.<name>` as a `${...}` expression names it, nested calls included. */
const REFERENCE = /\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\./g;
const INTERPOLATION = /\$\{((?:[^{}]|\{[^{}]*\})*)\}/g;

/** Resources that refer to what they belong to: found from the resource, not from the function. */
const ATTACHED_TYPES = ['aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_sns_topic_subscription'] as const;

/** Data the emulators hold: a deploy invocation is kept when its function shares one of these. */
const DATA_TYPES = new Set(['aws_dynamodb_table', 'aws_s3_bucket', 'aws_rds_cluster', 'aws_sqs_queue', 'aws_sns_topic']);

/** Every `type.name` a configuration refers to through `${...}`. */
export function referencesIn(config: unknown): Set<string> {
  const references = new Set<string>();
  for (const [, expression] of JSON.stringify(config).matchAll(INTERPOLATION)) {
    for (const [, type, name] of expression.matchAll(REFERENCE)) references.add(`${type}.${name}`);
  }
  return references;
}

/** The stack reduced to what the function (by its Terraform name) reaches; see the module's comment. */
export function stackPartFor(stack: SynthesizedStack, functionResourceName: string): SynthesizedStack {
  const kept = reachOf(stack, functionResourceName);
  for (const [name, config] of Object.entries(stack.resources('aws_lambda_invocation'))) {
    const target = [...referencesIn(config.function_name)].find((address) => address.startsWith('aws_lambda_function.'));
    if (target === undefined) continue;
    const targetReach = reachOf(stack, target.slice('aws_lambda_function.'.length));
    if (![...targetReach].some((address) => DATA_TYPES.has(typeOf(address)) && kept.has(address))) continue;
    kept.add(`aws_lambda_invocation.${name}`);
    for (const address of targetReach) kept.add(address);
  }
  const resource: Record<string, Record<string, ResourceConfig>> = {};
  for (const address of kept) {
    const [type, name] = address.split('.');
    const config = stack.json.resource?.[type]?.[name];
    if (config) (resource[type] ??= {})[name] = config;
  }
  return new SynthesizedStack({ ...stack.json, resource, output: undefined });
}

function reachOf(stack: SynthesizedStack, functionResourceName: string): Set<string> {
  const functionAddress = `aws_lambda_function.${functionResourceName}`;
  const config = stack.resource('aws_lambda_function', functionResourceName);
  const environmentReferences = referencesIn(config.environment ?? {});
  const pollSources = new Set(
    Object.values(stack.resources('aws_lambda_event_source_mapping'))
      .filter((mapping) => referencesIn(mapping.function_name).has(functionAddress))
      .flatMap((mapping) => [...referencesIn(mapping.event_source_arn)])
      .filter((address) => !environmentReferences.has(address)),
  );

  const kept = new Set<string>();
  const visit = (address: string): void => {
    if (kept.has(address) || pollSources.has(address)) return;
    const [type, name] = address.split('.');
    const resourceConfig = stack.json.resource?.[type]?.[name];
    if (!resourceConfig) return;
    kept.add(address);
    for (const reference of referencesIn(resourceConfig)) visit(reference);
  };
  visit(functionAddress);
  // A policy names its role, a subscription its topic: each pass may reach more of them.
  for (let size = -1; size !== kept.size; ) {
    size = kept.size;
    for (const type of ATTACHED_TYPES) {
      for (const [name, attached] of Object.entries(stack.resources(type))) {
        const owner = type === 'aws_sns_topic_subscription' ? attached.topic_arn : attached.role;
        if ([...referencesIn(owner)].some((address) => kept.has(address))) visit(`${type}.${name}`);
      }
    }
  }
  return kept;
}

function typeOf(address: string): string {
  return address.slice(0, address.indexOf('.'));
}
