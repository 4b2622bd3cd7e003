import { wildcardMatch } from './execute-api-arn';

/**
 * A Lambda authorizer's policy document judged for one method ARN as API Gateway judges
 * it: an explicit Deny wins, then an Allow, else the request is not allowed. Actions
 * and resources may use `*` and `?`.
 */
export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

const INVOKE = 'execute-api:Invoke';

export function decide(statements: readonly PolicyStatement[], methodArn: string): PolicyDecision {
  const applies = (statement: PolicyStatement) =>
    statement.actions.some((action) => wildcardMatch(action, INVOKE, { ignoreCase: true })) &&
    statement.resources.some((resource) => wildcardMatch(resource, methodArn));
  const matching = statements.filter(applies);
  if (matching.some((statement) => statement.effect === 'Deny')) return 'explicit-deny';
  return matching.some((statement) => statement.effect === 'Allow') ? 'allow' : 'implicit-deny';
}

/**
 * The statements of a policy document, or why it is not one this server can judge
 * (API Gateway answers such a document with 500).
 */
export function readPolicyDocument(document: unknown): { statements: PolicyStatement[] } | { invalid: string } {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return { invalid: 'policyDocument is not an object' };
  const raw = (document as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? undefined : [raw];
  if (!list) return { invalid: 'policyDocument has no Statement' };
  const statements: PolicyStatement[] = [];
  for (const [index, entry] of list.entries()) {
    if (entry === null || typeof entry !== 'object') return { invalid: `Statement[${index}] is not an object` };
    const statement = entry as Record<string, unknown>;
    const unsupported = ['NotAction', 'NotResource', 'Condition', 'Principal', 'NotPrincipal'].filter((key) => key in statement);
    if (unsupported.length > 0) return { invalid: `Statement[${index}] uses ${unsupported.join(', ')}, which the local API Gateway does not judge` };
    const effect = statement.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return { invalid: `Statement[${index}].Effect is ${JSON.stringify(effect)}, not Allow or Deny` };
    const actions = strings(statement.Action);
    const resources = strings(statement.Resource);
    if (!actions) return { invalid: `Statement[${index}].Action is not a string or a list of strings` };
    if (!resources) return { invalid: `Statement[${index}].Resource is not a string or a list of strings` };
    statements.push({ effect, actions, resources });
  }
  return { statements };
}

function strings(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  return list.length > 0 && list.every((entry) => typeof entry === 'string') ? (list as string[]) : undefined;
}
