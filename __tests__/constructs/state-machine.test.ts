import { Construct } from 'constructs';
import { Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { StateMachine } from '../../constructs/state-machine';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { FAKE_ACCOUNT, OTHER_ACCOUNT } from '../support/fake-aws';
import { StackIam } from '../support/iam';
import 'cdktf/lib/testing/adapters/jest';

const REGION = 'us-east-1';
const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:${name}`;
const FUNCTIONS = [functionArn('test-fetch'), functionArn('test-render')];
const DEFINITION = { Comment: 'test', StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };

/** A state machine that may invoke two functions (literal ARNs) and publish to a topic of the stack. */
class TestStack extends TerraformStack {
  readonly machine: StateMachine;

  constructor(scope: Construct, id: string, props: { includeExecutionData?: boolean; logRetentionDays?: number } = {}) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: REGION });
    const topic = new SnsTopic(this, 'topic', { name: 'test-EmailReport' });
    // A second topic in the stack that the state machine is given nothing to do with.
    new SnsTopic(this, 'other-topic', { name: 'test-other' });
    this.machine = new StateMachine(this, 'workflow', {
      stateMachineName: 'test-report',
      roleName: 'test-report-state-machine-role',
      definition: DEFINITION,
      invokableFunctionArns: FUNCTIONS,
      publishableTopicArns: [topic.arn],
      ...props,
    });
    // What a stack would pass on, synthesized as references.
    new TerraformOutput(this, 'machine-arn', { value: this.machine.arn });
    new TerraformOutput(this, 'role-arn', { value: this.machine.role.arn });
  }
}

function synth(props?: ConstructorParameters<typeof TestStack>[2]) {
  const stack = new TestStack(Testing.app(), 'state-machine-test', props);
  const synthesized = Testing.synth(stack);
  return { construct: stack.machine, synthesized, stack: SynthesizedStack.parse(synthesized) };
}

const { construct, synthesized, stack } = synth();
const iam = new StackIam(stack, REGION);
const role = 'test-report-state-machine-role';
const [machineKey, machine] = Object.entries(stack.resources('aws_sfn_state_machine'))[0];
const topic = iam.arnOf('aws_sns_topic', 'test-EmailReport');

describe('StateMachine', () => {
  it('creates one STANDARD state machine with the definition as JSON, run by its own role', () => {
    expect(Object.keys(stack.resources('aws_sfn_state_machine'))).toHaveLength(1);
    expect(machine).toMatchObject({ name: 'test-report', type: 'STANDARD' });
    expect(JSON.parse(String(machine.definition))).toEqual(DEFINITION);
    expect(iam.resolve(String(machine.role_arn))).toBe(iam.roleArn(role));
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: role });
  });

  it('lets only Step Functions assume its role', () => {
    const [, roleConfig] = Object.entries(stack.resources('aws_iam_role'))[0];
    expect(JSON.parse(String(roleConfig.assume_role_policy))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it("logs every event, without execution data, to its own vended log group with the environment's retention, and traces", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/vendedlogs/states/test-report', retention_in_days: 14 });
    const logGroup = Object.keys(stack.resources('aws_cloudwatch_log_group'))[0];
    expect(machine.logging_configuration).toEqual({
      level: 'ALL',
      include_execution_data: false,
      log_destination: `\${aws_cloudwatch_log_group.${logGroup}.arn}:*`,
    });
    expect(machine.tracing_configuration).toEqual({ enabled: true });
  });

  it('takes execution data and retention from its props', () => {
    const custom = synth({ includeExecutionData: true, logRetentionDays: 7 });
    expect(custom.synthesized).toHaveResourceWithProperties(SfnStateMachine, {
      logging_configuration: expect.objectContaining({ include_execution_data: true }),
    });
    expect(custom.synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 7 });
  });

  it('is created only after its role policy exists (Step Functions checks the logging permissions)', () => {
    const [policyKey] = Object.keys(stack.resources('aws_iam_role_policy'));
    expect(machine.depends_on).toEqual([`aws_iam_role_policy.${policyKey}`]);
  });

  it('exposes its ARN, name and role', () => {
    const outputs = stack.json.output ?? {};
    const outputOf = (prefix: string) => Object.entries(outputs).find(([key]) => key.startsWith(prefix))?.[1].value;
    expect(outputOf('machine-arn')).toBe(`\${aws_sfn_state_machine.${machineKey}.arn}`);
    expect(iam.resolve(String(outputOf('role-arn')))).toBe(iam.roleArn(role));
    expect(construct.name).toBe('test-report');
  });
});

describe('StateMachine role', () => {
  it('may invoke exactly the given functions (and their versions and aliases), publish to the given topic, trace and deliver logs', async () => {
    await iam.expectDecisions(role, [
      ['lambda:InvokeFunction', FUNCTIONS[0]],
      ['lambda:InvokeFunction', FUNCTIONS[1]],
      ['lambda:InvokeFunction', `${FUNCTIONS[0]}:live`],
      ['lambda:InvokeFunction', `${FUNCTIONS[1]}:3`],
      ['sns:Publish', topic],
      ['xray:PutTraceSegments', '*'],
      ['xray:PutTelemetryRecords', '*'],
      ['logs:CreateLogDelivery', '*'],
      ['logs:GetLogDelivery', '*'],
      ['logs:UpdateLogDelivery', '*'],
      ['logs:DeleteLogDelivery', '*'],
      ['logs:ListLogDeliveries', '*'],
      ['logs:PutResourcePolicy', '*'],
      ['logs:DescribeResourcePolicies', '*'],
      ['logs:DescribeLogGroups', '*'],
    ], 'Allowed');
  });

  it('may not invoke another function, publish elsewhere, subscribe, or change the functions', async () => {
    await iam.expectDecisions(role, [
      ['lambda:InvokeFunction', functionArn('test-presign')],
      // A name that merely starts like an allowed one.
      ['lambda:InvokeFunction', functionArn('test-fetch-admin')],
      ['lambda:InvokeFunction', FUNCTIONS[0].replace(FAKE_ACCOUNT, OTHER_ACCOUNT)],
      ['lambda:UpdateFunctionCode', FUNCTIONS[0]],
      ['lambda:InvokeAsync', FUNCTIONS[0]],
      ['sns:Publish', iam.arnOf('aws_sns_topic', 'test-other')],
      ['sns:Publish', topic.replace(FAKE_ACCOUNT, OTHER_ACCOUNT)],
      ['sns:Subscribe', topic],
      ['sns:SetTopicAttributes', topic],
      ['logs:PutLogEvents', '*'],
      ['states:StartExecution', iam.resolve(`\${aws_sfn_state_machine.${machineKey}.arn}`)],
      ['iam:PassRole', iam.roleArn(role)],
    ], 'ImplicitlyDenied');
  });
});
