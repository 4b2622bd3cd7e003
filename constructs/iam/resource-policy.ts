import { Lazy } from 'cdktf';
import { policyDocument, PolicyStatement } from './policy-document';

/**
 * The statements of a resource policy (queue, topic, bucket) that other constructs
 * add to after the resource exists: a queue is created before the API role that may
 * send to it. The document is rendered at synth time, with every statement added.
 */
export class ResourcePolicy {
  private readonly statements: PolicyStatement[] = [];

  constructor(initial: PolicyStatement[] = []) {
    this.statements.push(...initial);
  }

  /** Adds statements; a statement id already in the policy fails, since IAM requires them unique. */
  add(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      if (statement.Sid !== undefined && this.statements.some((existing) => existing.Sid === statement.Sid)) {
        throw new Error(`The resource policy already has a statement with Sid "${statement.Sid}": statement ids must be unique within a policy`);
      }
      this.statements.push(statement);
    }
  }

  /** A token for the whole document; resolve it by synthesizing the stack. */
  get document(): string {
    return Lazy.stringValue({ produce: () => policyDocument(this.statements) });
  }
}
