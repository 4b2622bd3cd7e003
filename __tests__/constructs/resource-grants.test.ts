import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { grantReadDatabaseSecret } from '../../constructs/database-secret';
import { ServiceRole } from '../../constructs/iam/service-role';
import { SecureBucket } from '../../constructs/secure-bucket';
import { SecureQueue } from '../../constructs/secure-queue';
import { SecureTable } from '../../constructs/secure-table';
import { SecureTopic } from '../../constructs/secure-topic';
import { StateMachine } from '../../constructs/state-machine';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { StackIam } from '../support/iam';

const REGION = 'us-east-1';

/** A stack with whatever `build` puts in it, synthesized, and its IAM to simulate. */
function synthesize(build: (stack: TerraformStack, role: (roleName: string) => ServiceRole) => void) {
  const stack = new TerraformStack(Testing.app(), 'grants');
  new AwsProvider(stack, 'aws', { region: REGION });
  build(stack, (roleName) => new ServiceRole(stack, roleName, { roleName, assumedBy: 'lambda.amazonaws.com' }));
  const synthesized = SynthesizedStack.parse(Testing.synth(stack));
  return { stack: synthesized, iam: new StackIam(synthesized, REGION) };
}

type Statement = { Sid?: string; Action: string | string[]; Resource: string | string[]; Principal?: { AWS: string[] } };

/** The statements of the inline policy of this name. */
function inlineStatements(iam: StackIam, roleName: string, policyName: string): Statement[] {
  const policy = iam.identityPolicies(roleName).find((p) => p.name === policyName);
  if (!policy) throw new Error(`${roleName} has no policy ${policyName}`);
  return policy.policy.Statement as Statement[];
}

describe('SecureBucket grants', () => {
  const bucketArn = (iam: StackIam, name: string) => iam.arnOf('aws_s3_bucket', name, 'arn', 'bucket');

  it.each([
    ['a versioned bucket', true, ['s3:GetObject', 's3:GetObjectVersion']],
    ['an unversioned bucket', false, ['s3:GetObject']],
  ])('read on %s: GetObject, and GetObjectVersion only where there are versions', (_case, versioned, actions) => {
    const { iam } = synthesize((stack, role) => {
      new SecureBucket(stack, 'bucket', { bucketName: 'test-bucket', versioned }).grantRead(role('test-reader'), { prefix: 'reports/' });
    });
    expect(inlineStatements(iam, 'test-reader', 'read-reports')).toEqual([
      { Sid: 'ReadReports', Effect: 'Allow', Action: actions, Resource: [`${bucketArn(iam, 'test-bucket')}/reports/*`] },
    ]);
  });

  it('read is named after the prefix and limited to its keys, with the suffix', async () => {
    const { iam } = synthesize((stack, role) => {
      new SecureBucket(stack, 'bucket', { bucketName: 'test-bucket' }).grantRead(role('test-reader'), { prefix: 'uploads/', suffix: '.json' });
    });
    const bucket = bucketArn(iam, 'test-bucket');
    expect(iam.identityPolicies('test-reader').map((p) => p.name)).toEqual(['read-uploads']);
    await iam.expectDecisions('test-reader', [['s3:GetObject', `${bucket}/uploads/a/inventory.json`]], 'Allowed');
    await iam.expectDecisions('test-reader', [
      ['s3:GetObject', `${bucket}/uploads/notes.txt`],
      ['s3:GetObject', `${bucket}/reports/inventory.json`],
      ['s3:PutObject', `${bucket}/uploads/inventory.json`],
    ], 'ImplicitlyDenied');
  });

  it('write is PutObject under the prefix only, named after it', async () => {
    const { iam } = synthesize((stack, role) => {
      new SecureBucket(stack, 'bucket', { bucketName: 'test-bucket' }).grantWrite(role('test-writer'), { prefix: 'rejected/' });
    });
    const bucket = bucketArn(iam, 'test-bucket');
    expect(inlineStatements(iam, 'test-writer', 'write-rejected')).toEqual([
      { Sid: 'WriteRejected', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`${bucket}/rejected/*`] },
    ]);
    await iam.expectDecisions('test-writer', [['s3:GetObject', `${bucket}/rejected/a.json`], ['s3:PutObject', `${bucket}/uploads/a.json`]], 'ImplicitlyDenied');
  });

  it('with a policy name, is the named customer-managed policy', () => {
    const { stack } = synthesize((scope, role) => {
      new SecureBucket(scope, 'bucket', { bucketName: 'test-bucket' }).grantRead(role('test-reader'), { prefix: 'uploads/', policyName: 'test-Read-S3' });
    });
    expect(stack.resources('aws_iam_role_policy')).toEqual({});
    expect(stack.resource('aws_iam_policy', stack.findName('aws_iam_policy', 'name', 'test-Read-S3')).description).toBe('Lets the role read uploads/* in the bucket');
  });

  it('adds nothing to the bucket policy: it stays TLS-only', () => {
    const { stack } = synthesize((scope, role) => {
      new SecureBucket(scope, 'bucket', { bucketName: 'test-bucket' }).grantRead(role('test-reader'), { prefix: 'uploads/' });
    });
    const [policy] = Object.values(stack.resources('aws_s3_bucket_policy'));
    expect((JSON.parse(String(policy.policy)).Statement as Statement[]).map((s) => s.Sid)).toEqual(['DenyInsecureTransport']);
  });
});

describe('SecureQueue grants', () => {
  const queuePolicy = (iam: StackIam) => iam.resourcePolicy('aws_sqs_queue_policy', iam.arnOf('aws_sqs_queue', 'test-queue')).Statement as Statement[];

  it('name each grantee in the queue policy under a Sid of its own, derived from the role name', async () => {
    const { iam } = synthesize((stack, role) => {
      const queue = new SecureQueue(stack, 'queue', { queueName: 'test-queue' });
      queue.grantSend(role('test-api-role'));
      queue.grantSend(role('test-other-sender'));
      queue.grantConsume(role('test-consumer'));
    });
    const statements = queuePolicy(iam);
    expect(statements.map((s) => [s.Sid, s.Principal?.AWS])).toEqual([
      ['DenyInsecureTransport', undefined],
      ['AllowSendFromTestApiRole', [iam.roleArn('test-api-role')]],
      ['AllowSendFromTestOtherSender', [iam.roleArn('test-other-sender')]],
      ['AllowReceiveByTestConsumer', [iam.roleArn('test-consumer')]],
    ]);
    const queue = iam.arnOf('aws_sqs_queue', 'test-queue');
    const resourcePolicy = iam.resourcePolicy('aws_sqs_queue_policy', queue);
    for (const sender of ['test-api-role', 'test-other-sender']) {
      expect(await iam.decide(sender, 'sqs:SendMessage', queue, { resourcePolicy })).toBe('Allowed');
      expect(await iam.decide(sender, 'sqs:ReceiveMessage', queue, { resourcePolicy })).toBe('ImplicitlyDenied');
    }
    expect(await iam.decide('test-consumer', 'sqs:ReceiveMessage', queue, { resourcePolicy })).toBe('Allowed');
    expect(await iam.decide('test-consumer', 'sqs:SendMessage', queue, { resourcePolicy })).toBe('ImplicitlyDenied');
  });

  it('refuse two grantees whose Sids would be the same, saying which', () => {
    expect(() =>
      synthesize((stack, role) => {
        const queue = new SecureQueue(stack, 'queue', { queueName: 'test-queue' });
        queue.grantSend(role('test-sender'));
        queue.grantSend(role('test.sender'));
      }),
    ).toThrow('The resource policy already has a statement with Sid "AllowSendFromTestSender"');
  });

  it('consume is the lab\'s Lambda-Read-SQS list, as read-queue', () => {
    const { iam } = synthesize((stack, role) => new SecureQueue(stack, 'queue', { queueName: 'test-queue' }).grantConsume(role('test-consumer')));
    expect(inlineStatements(iam, 'test-consumer', 'read-queue')).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
        Resource: [iam.arnOf('aws_sqs_queue', 'test-queue')],
      },
    ]);
  });
});

describe('SecureTable grants', () => {
  it('put item is exactly the lab\'s Lambda-Write-DynamoDB list, batch write only BatchWriteItem, both as write-table', () => {
    const { iam } = synthesize((stack, role) => {
      const table = new SecureTable(stack, 'table', { tableName: 'test-table', partitionKey: 'id' });
      table.grantPutItem(role('test-putter'));
      table.grantBatchWrite(role('test-batcher'));
    });
    const table = iam.arnOf('aws_dynamodb_table', 'test-table');
    expect(inlineStatements(iam, 'test-putter', 'write-table')).toEqual([
      { Sid: 'PutItems', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:DescribeTable'], Resource: [table] },
    ]);
    expect(inlineStatements(iam, 'test-batcher', 'write-table')).toEqual([
      { Sid: 'BatchWriteItems', Effect: 'Allow', Action: ['dynamodb:BatchWriteItem'], Resource: [table] },
    ]);
  });

  it('refuses a second write grant to one role: the grant name is taken', () => {
    expect(() =>
      synthesize((stack, role) => {
        const table = new SecureTable(stack, 'table', { tableName: 'test-table', partitionKey: 'id' });
        const writer = role('test-writer');
        table.grantPutItem(writer);
        table.grantBatchWrite(writer);
      }),
    ).toThrow('Role test-writer already has a grant named "write-table"');
  });

  it('stream read needs a stream', () => {
    expect(() =>
      synthesize((stack, role) => new SecureTable(stack, 'table', { tableName: 'test-table', partitionKey: 'id' }).grantStreamRead(role('test-reader'))),
    ).toThrow('Table test-table has no stream to read');
  });
});

describe('SecureTopic.grantPublish', () => {
  it('is inline publish-topic without a policy name, the named customer-managed policy with one', () => {
    const { stack, iam } = synthesize((scope, role) => {
      const topic = new SecureTopic(scope, 'topic', { topicName: 'test-topic' });
      topic.grantPublish(role('test-inline'));
      topic.grantPublish(role('test-managed'), { policyName: 'test-SNS-Publish' });
    });
    expect(iam.identityPolicies('test-inline').map((p) => p.name)).toEqual(['publish-topic']);
    expect(iam.identityPolicies('test-managed').map((p) => p.name)).toEqual(['test-SNS-Publish']);
    expect(stack.resource('aws_iam_policy', stack.findName('aws_iam_policy', 'name', 'test-SNS-Publish')).description).toBe('Lets the role publish to test-topic');
  });
});

describe('StateMachine.grantStartExecution and grantReadDatabaseSecret', () => {
  it('let a role start this state machine, and read this secret, only', async () => {
    const secretArn = `arn:aws:secretsmanager:${REGION}:111122223333:secret:test-login-AbCdEf`;
    const { iam } = synthesize((stack, role) => {
      const machine = new StateMachine(stack, 'workflow', {
        stateMachineName: 'test-workflow',
        roleName: 'test-workflow-role',
        definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
        invokableFunctionArns: [],
        publishableTopicArns: [],
      });
      const caller = role('test-caller');
      machine.grantStartExecution(caller);
      grantReadDatabaseSecret(caller, secretArn);
    });
    const machine = iam.arnOf('aws_sfn_state_machine', 'test-workflow');
    expect(iam.identityPolicies('test-caller').map((p) => p.name).sort()).toEqual(['read-database-secret', 'start-execution']);
    await iam.expectDecisions('test-caller', [['states:StartExecution', machine], ['secretsmanager:GetSecretValue', secretArn]], 'Allowed');
    await iam.expectDecisions('test-caller', [
      ['states:StartExecution', machine.replace('test-workflow', 'test-other')],
      ['states:StartSyncExecution', machine],
      ['secretsmanager:GetSecretValue', secretArn.replace('test-login', 'test-other')],
    ], 'ImplicitlyDenied');
  });
});
