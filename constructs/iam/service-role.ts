import { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { assumeRolePolicy, policyDocument, PolicyStatement } from './policy-document';

export interface ServiceRoleProps {
  readonly roleName: string;
  /** Service principal allowed to assume the role, e.g. `lambda.amazonaws.com`. */
  readonly assumedBy: string;
  readonly description?: string;
}

export interface CustomerManagedPolicyProps {
  readonly policyName: string;
  readonly description?: string;
  readonly statements: PolicyStatement[];
}

/**
 * One IAM role for one principal (a function, an API), holding only explicit policy
 * documents. Customer-managed policies keep the labs' named policies visible in the
 * IAM console; inline policies carry what only this role needs.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
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
   * Creates a customer-managed policy and attaches it to this role. Returns the
   * attachment: what a resource that needs the permission at creation must depend on.
   */
  attachPolicy(id: string, props: CustomerManagedPolicyProps): IamRolePolicyAttachment {
    const policy = new IamPolicy(this, id, {
      name: props.policyName,
      description: props.description,
      policy: policyDocument(props.statements),
    });
    return new IamRolePolicyAttachment(this, `${id}-attachment`, { role: this.role.name, policyArn: policy.arn });
  }

  /** Attaches an AWS-managed policy by ARN (only where a lab names one). */
  attachManagedPolicy(id: string, policyArn: string): IamRolePolicyAttachment {
    return new IamRolePolicyAttachment(this, id, { role: this.role.name, policyArn });
  }

  /** Adds an inline policy: permissions that belong to this role alone. */
  addInlinePolicy(id: string, policyName: string, statements: PolicyStatement[]): IamRolePolicy {
    return new IamRolePolicy(this, id, {
      name: policyName,
      role: this.role.id,
      policy: policyDocument(statements),
    });
  }
}
