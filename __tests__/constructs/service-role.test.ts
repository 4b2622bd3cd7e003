import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { PolicyStatement } from '../../constructs/iam/policy-document';
import { GrantOptions, ServiceRole } from '../../constructs/iam/service-role';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';

const READ_ANYTHING: PolicyStatement[] = [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] }];

type StackJson = ConstructorParameters<typeof SynthesizedStack>[0] & { moved?: { from: string; to: string }[] };

/** A stack holding one role and whatever `build` gives it. */
function roleStack(build: (role: ServiceRole) => void) {
  const stack = new TerraformStack(Testing.app(), 'role-test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const role = new ServiceRole(stack, 'role', { roleName: 'test-role', assumedBy: 'lambda.amazonaws.com' });
  build(role);
  return { role, synthesized: () => JSON.parse(Testing.synth(stack)) as StackJson };
}

/** The address of a resource created directly at `id` in such a role: where a deployed stack has it. */
function addressAt(id: string, type: 'aws_iam_role_policy' | 'aws_iam_policy' | 'aws_iam_role_policy_attachment'): string {
  let address = '';
  roleStack((role) => {
    const resource = {
      aws_iam_role_policy: () => new IamRolePolicy(role, id, { role: role.role.id, policy: '{}' }),
      aws_iam_policy: () => new IamPolicy(role, id, { policy: '{}' }),
      aws_iam_role_policy_attachment: () => new IamRolePolicyAttachment(role, id, { role: role.role.name, policyArn: 'arn:aws:iam::aws:policy/x' }),
    }[type]();
    address = `${type}.${resource.friendlyUniqueId}`;
  });
  return address;
}

describe('ServiceRole.grant', () => {
  it('without a policy name, is an inline policy named as the grant', () => {
    const { role, synthesized } = roleStack((r) => r.grant('read-things', READ_ANYTHING));
    const stack = new SynthesizedStack(synthesized());
    const [, inline] = Object.entries(stack.resources('aws_iam_role_policy'))[0];
    expect(inline).toMatchObject({ name: 'read-things', role: `\${${role.role.terraformResourceType}.${role.role.friendlyUniqueId}.id}` });
    expect(JSON.parse(String(inline.policy))).toEqual({ Version: '2012-10-17', Statement: READ_ANYTHING });
    expect(stack.resources('aws_iam_policy')).toEqual({});
    expect(stack.resources('aws_iam_role_policy_attachment')).toEqual({});
  });

  it('with a policy name, is a customer-managed policy of that name attached to the role', () => {
    const { synthesized } = roleStack((r) => r.grant('read-things', READ_ANYTHING, { policyName: 'Lab-Read-Things', description: 'Lets the role read things' }));
    const stack = new SynthesizedStack(synthesized());
    expect(stack.resources('aws_iam_role_policy')).toEqual({});
    const policyKey = stack.findName('aws_iam_policy', 'name', 'Lab-Read-Things');
    expect(stack.resource('aws_iam_policy', policyKey).description).toBe('Lets the role read things');
    expect(JSON.parse(String(stack.resource('aws_iam_policy', policyKey).policy)).Statement).toEqual(READ_ANYTHING);
    const [, attachment] = Object.entries(stack.resources('aws_iam_role_policy_attachment'))[0];
    expect(attachment.policy_arn).toBe(`\${aws_iam_policy.${policyKey}.arn}`);
  });

  it('returns what depends on the permission being in place: the inline policy, or the attachment', () => {
    roleStack((role) => {
      expect(role.grant('inline', READ_ANYTHING)).toBeInstanceOf(IamRolePolicy);
      expect(role.grant('managed', READ_ANYTHING, { policyName: 'Managed' })).toBeInstanceOf(IamRolePolicyAttachment);
    });
  });

  it.each<[string, GrantOptions, GrantOptions]>([
    ['two inline grants', {}, {}],
    ['an inline and a managed grant', {}, { policyName: 'Other' }],
    ['two managed grants', { policyName: 'One' }, { policyName: 'Two' }],
  ])('refuses a second grant of the same name on one role (%s), saying which', (_case, first, second) => {
    expect(() =>
      roleStack((role) => {
        role.grant('write-table', READ_ANYTHING, first);
        role.grant('write-table', READ_ANYTHING, second);
      }),
    ).toThrow('Role test-role already has a grant named "write-table" (role-test/role)');
  });

  it('lets two roles each have a grant of the same name', () => {
    expect(() =>
      roleStack((role) => {
        role.grant('write-table', READ_ANYTHING);
        new ServiceRole(role.node.scope!, 'other-role', { roleName: 'test-other-role', assumedBy: 'lambda.amazonaws.com' }).grant('write-table', READ_ANYTHING);
      }),
    ).not.toThrow();
  });

  it('refuses a role name known only after apply: queue policies name grantees after it', () => {
    const stack = new TerraformStack(Testing.app(), 'role-test');
    const other = new ServiceRole(stack, 'other', { roleName: 'test-other', assumedBy: 'lambda.amazonaws.com' });
    expect(() => new ServiceRole(stack, 'role', { roleName: other.name, assumedBy: 'lambda.amazonaws.com' })).toThrow(/roleName must be known at synth time/);
  });
});

describe('ServiceRole.grant with a former id', () => {
  it('moves an inline policy from the address it had at its former id', () => {
    const { synthesized } = roleStack((role) => role.grant('send-to-queue', READ_ANYTHING, { formerId: 'send' }));
    const json = synthesized();
    const [newKey] = Object.keys(json.resource?.aws_iam_role_policy ?? {});
    expect(json.moved).toEqual([{ from: addressAt('send', 'aws_iam_role_policy'), to: `aws_iam_role_policy.${newKey}` }]);
    expect(addressAt('send', 'aws_iam_role_policy')).toMatch(/^aws_iam_role_policy\.role_send_[0-9A-F]{8}$/);
  });

  it('moves a managed policy and its attachment together', () => {
    const { synthesized } = roleStack((role) => role.grant('read-queue', READ_ANYTHING, { policyName: 'Lab-Read-SQS', formerId: 'read' }));
    const json = synthesized();
    const [policyKey] = Object.keys(json.resource?.aws_iam_policy ?? {});
    const [attachmentKey] = Object.keys(json.resource?.aws_iam_role_policy_attachment ?? {});
    expect(json.moved).toEqual([
      { from: addressAt('read', 'aws_iam_policy'), to: `aws_iam_policy.${policyKey}` },
      { from: addressAt('read-attachment', 'aws_iam_role_policy_attachment'), to: `aws_iam_role_policy_attachment.${attachmentKey}` },
    ]);
  });

  it('emits no moved block for a grant that never had another id', () => {
    const { synthesized } = roleStack((role) => role.grant('read-things', READ_ANYTHING));
    expect(synthesized().moved).toBeUndefined();
  });
});
