import { Construct } from 'constructs';
import { ITerraformDependable, Token } from 'cdktf';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { moveFromFormerId } from '../moved';
import { assumeRolePolicy, policyDocument, PolicyStatement } from './policy-document';

export interface ServiceRoleProps {
  /** Known at synth time: queue policies name their grantees after it. */
  readonly roleName: string;
  /** Service principal allowed to assume the role, e.g. `lambda.amazonaws.com`. */
  readonly assumedBy: string;
  /** @default none */
  readonly description?: string;
}

/** How a permission is given; resource constructs' `grant*` methods take the same options. */
export interface GrantOptions {
  /**
   * Makes the grant a customer-managed policy of this name attached to the role, as the
   * labs name theirs (visible, and reusable, in the IAM console).
   * @default an inline policy, named as the grant
   */
  readonly policyName?: string;
  /**
   * The customer-managed policy's description. IAM cannot change a description: a new one
   * replaces the policy, so keep a deployed policy's description as it is.
   * @default none (the resource constructs' grants describe what they allow)
   */
  readonly description?: string;
  /**
   * The construct id the grant had before it was given its name: a deployed stack's policy
   * is then moved to the new address (a Terraform `moved` block) instead of replaced.
   * @default none: the grant has always had its name
   */
  readonly formerId?: string;
}

/** `options` with a description for its customer-managed policy unless it has one: what a resource's grant allows. */
export function describedAs(description: string, options: GrantOptions): GrantOptions {
  return { ...options, description: options.description ?? description };
}

/**
 * One IAM role for one principal (a function, an API), holding only explicit policy
 * documents, each given by `grant`. Customer-managed policies keep the labs' named
 * policies visible in the IAM console; inline policies carry what only this role needs.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** The role's name as configured (a plain string, usable in other names and Sids). */
  readonly roleName: string;
  private readonly grantNames = new Set<string>();

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (Token.isUnresolved(props.roleName)) {
      throw new Error(`ServiceRole ${this.node.path}: roleName must be known at synth time, not a reference`);
    }
    this.roleName = props.roleName;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: assumeRolePolicy(props.assumedBy),
    });
  }

  get arn(): string {
    return this.role.arn;
  }

  get name(): string {
    return this.role.name;
  }

  /**
   * Gives the role `statements` under `name`, the grant's name within this role (its
   * construct id, so its Terraform address, and the inline policy's name). Returns what a
   * resource that needs the permission when it is created must depend on.
   */
  grant(name: string, statements: PolicyStatement[], options: GrantOptions = {}): ITerraformDependable {
    if (this.grantNames.has(name)) {
      throw new Error(
        `Role ${this.roleName} already has a grant named "${name}" (${this.node.path}). ` +
          'A grant name is unique within its role: widen the existing grant, or give this one another name.',
      );
    }
    this.grantNames.add(name);
    if (options.policyName === undefined) {
      const inline = new IamRolePolicy(this, name, { name, role: this.role.id, policy: policyDocument(statements) });
      if (options.formerId) moveFromFormerId(inline, options.formerId);
      return inline;
    }
    const policy = new IamPolicy(this, name, {
      name: options.policyName,
      description: options.description,
      policy: policyDocument(statements),
    });
    const attachment = new IamRolePolicyAttachment(this, `${name}-attachment`, { role: this.role.name, policyArn: policy.arn });
    if (options.formerId) {
      moveFromFormerId(policy, options.formerId);
      moveFromFormerId(attachment, `${options.formerId}-attachment`);
    }
    return attachment;
  }

  /** Attaches an AWS-managed policy by ARN (only where a lab names one). */
  attachManagedPolicy(id: string, policyArn: string): IamRolePolicyAttachment {
    return new IamRolePolicyAttachment(this, id, { role: this.role.name, policyArn });
  }
}
