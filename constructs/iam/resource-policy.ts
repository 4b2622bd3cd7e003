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

  add(...statements: PolicyStatement[]): void {
    this.statements.push(...statements);
  }

  /** A token for the whole document; resolve it by synthesizing the stack. */
  get document(): string {
    return Lazy.stringValue({ produce: () => policyDocument(this.statements) });
  }
}
