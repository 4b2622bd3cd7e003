import { createRequire } from 'node:module';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { StateMachine } from '../../constructs/state-machine';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import {
  CREDENTIALS_EXPIRE_TOO_SOON_ERROR,
  INVALID_REPORT_INPUT_ERROR,
  REPORT_STATES as S,
  reportWorkflowDefinition,
} from '../../stacks/report-workflow';
import { StackIam } from '../support/iam';

// asl-validator ships no type declarations: its documented API, typed here.
type AslValidator = (definition: object) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(__filename)('asl-validator') as AslValidator;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  JitterStrategy?: string;
}
interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string;
  Next: string;
}
interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  OutputPath?: string;
  ResultSelector?: Record<string, string>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Next?: string;
  End?: boolean;
  Branches?: Machine[];
  ErrorPath?: string;
  CausePath?: string;
}
interface Machine {
  StartAt: string;
  States: Record<string, State>;
}

const refs = {
  fetchSupplierDataArn: 'arn:aws:lambda:us-east-1:111122223333:function:fetch',
  renderReportArn: 'arn:aws:lambda:us-east-1:111122223333:function:render',
  presignReportUrlArn: 'arn:aws:lambda:us-east-1:111122223333:function:presign',
  topicArn: 'arn:aws:sns:us-east-1:111122223333:EmailReport',
};
const definition = reportWorkflowDefinition(refs) as Machine & { Comment: string };
const { States: states } = definition;
const parallel = states[S.parallel];
const [renderBranch, presignBranch] = parallel.Branches ?? [];

/** Every Task, top-level and inside the Parallel's branches, by name. */
const allTasks: [string, State][] = [
  ...Object.entries(states),
  ...(parallel.Branches ?? []).flatMap((branch) => Object.entries(branch.States)),
].filter(([, state]) => state.Type === 'Task');

/** The top-level states reachable from `start` through Next and Catch. */
function reachableFrom(start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const state = states[name];
    for (const next of [state.Next, ...(state.Catch ?? []).map((c) => c.Next)]) if (next) visit(next);
  };
  visit(start);
  return seen;
}

describe('the report workflow definition', () => {
  it('is valid Amazon States Language', () => {
    // The validator writes defaults into what it is given: validate a copy.
    const result = aslValidator(structuredClone(definition));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
    // The validator is wired up: a transition to a missing state is refused.
    const broken = structuredClone(definition);
    broken.States[S.fetch].Next = 'NoSuchState';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('is valid ASL too with the ARNs still cdktf tokens, as the stack serializes it', () => {
    const tokens = reportWorkflowDefinition({
      fetchSupplierDataArn: '${TfToken[TOKEN.1]}',
      renderReportArn: '${TfToken[TOKEN.2]}',
      presignReportUrlArn: '${TfToken[TOKEN.3]}',
      topicArn: '${TfToken[TOKEN.4]}',
    });
    expect(aslValidator(structuredClone(tokens)).isValid).toBe(true);
  });

  it('stays valid ASL through the StateMachine construct, with a topic ARN of the stack resolved by Terraform', () => {
    const stack = new TerraformStack(Testing.app(), 'report-workflow-test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const topic = new SnsTopic(stack, 'topic', { name: 'test-EmailReport' });
    new StateMachine(stack, 'workflow', {
      stateMachineName: 'test-report',
      roleName: 'test-report-role',
      definition: reportWorkflowDefinition({ ...refs, topicArn: topic.arn }),
      invokableFunctionArns: [refs.fetchSupplierDataArn, refs.renderReportArn, refs.presignReportUrlArn],
      publishableTopicArns: [topic.arn],
    });
    const synthesized = SynthesizedStack.parse(Testing.synth(stack));
    const [machine] = Object.values(synthesized.resources('aws_sfn_state_machine'));
    const resolved = JSON.parse(new StackIam(synthesized, 'us-east-1').resolve(String(machine.definition))) as Machine;
    expect(aslValidator(resolved).errorsText('\n')).toBe('');
    expect(resolved.States[S.publish].Parameters?.TopicArn).toBe('arn:aws:sns:us-east-1:111122223333:test-EmailReport');
  });

  it('fetches the supplier data, then runs exactly the render and presign branches in parallel, then publishes the link', () => {
    expect(definition.StartAt).toBe(S.fetch);
    expect(states[S.fetch]).toMatchObject({ Type: 'Task', Next: S.parallel });
    expect(parallel).toMatchObject({ Type: 'Parallel', Next: S.publish });
    expect(parallel.Branches).toHaveLength(2);
    expect(renderBranch).toEqual({ StartAt: S.render, States: { [S.render]: expect.objectContaining({ End: true }) } });
    expect(presignBranch).toEqual({ StartAt: S.presign, States: { [S.presign]: expect.objectContaining({ End: true }) } });
    expect(states[S.publish]).toMatchObject({ Type: 'Task', End: true });
    expect(Object.keys(states).sort()).toEqual([S.failed, S.fetch, S.notifyFailure, S.parallel, S.publish].sort());
  });

  it('invokes each function through the optimized Lambda integration, keeping only its return value', () => {
    const lambdaTasks = allTasks.filter(([, state]) => state.Resource === 'arn:aws:states:::lambda:invoke');
    expect(lambdaTasks.map(([name]) => name).sort()).toEqual([S.fetch, S.presign, S.render].sort());
    for (const [, state] of lambdaTasks) expect(state.OutputPath).toBe('$.Payload');
    expect(states[S.fetch].Parameters).toEqual({ FunctionName: refs.fetchSupplierDataArn, Payload: { 'executionName.$': '$$.Execution.Name' } });
    expect(renderBranch.States[S.render].Parameters).toEqual({
      FunctionName: refs.renderReportArn,
      Payload: { 'executionName.$': '$$.Execution.Name', 'data.$': '$' },
    });
    expect(presignBranch.States[S.presign].Parameters).toEqual({
      FunctionName: refs.presignReportUrlArn,
      Payload: { 'executionName.$': '$$.Execution.Name' },
    });
  });

  it('publishes the link through the optimized SNS integration, reading the URL and expiry from the presign branch', () => {
    const publish = states[S.publish];
    expect(publish.Resource).toBe('arn:aws:states:::sns:publish');
    expect(publish.Parameters).toMatchObject({ TopicArn: refs.topicArn, Subject: 'Your coffee supplier report' });
    // The Parallel names its outputs in branch order: $[1] is the presign branch's.
    expect(parallel.ResultSelector).toEqual({ 'report.$': '$[0]', 'link.$': '$[1]' });
    expect(parallel.Branches?.[1].StartAt).toBe(S.presign);
    const message = String(publish.Parameters?.['Message.$']);
    expect(message).toMatch(/^States\.Format\(/);
    expect(message).toContain('$.link.url');
    expect(message).toContain('$.link.expiresAt');
  });

  it('gives every Task a timeout and a Retry with exponential backoff and full jitter on transient errors', () => {
    expect(allTasks.map(([name]) => name).sort()).toEqual([S.fetch, S.notifyFailure, S.presign, S.publish, S.render].sort());
    for (const [name, state] of allTasks) {
      expect([name, state.TimeoutSeconds]).toEqual([name, expect.any(Number)]);
      expect(state.Retry).toHaveLength(1);
      const [retry] = state.Retry ?? [];
      expect([name, retry]).toEqual([
        name,
        expect.objectContaining({
          IntervalSeconds: expect.any(Number),
          MaxAttempts: expect.any(Number),
          BackoffRate: expect.any(Number),
          JitterStrategy: 'FULL',
        }),
      ]);
      expect(retry.BackoffRate).toBeGreaterThan(1);
      expect(retry.ErrorEquals).toContain('States.Timeout');
    }
  });

  it('retries the Lambda service errors on every function, and the presign function\'s expiring credentials', () => {
    const transient = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];
    for (const [, state] of allTasks.filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke')) {
      expect(state.Retry?.[0].ErrorEquals).toEqual(expect.arrayContaining(transient));
    }
    expect(presignBranch.States[S.presign].Retry?.[0].ErrorEquals).toContain(CREDENTIALS_EXPIRE_TOO_SOON_ERROR);
  });

  it('never retries InvalidReportInputError, nor anything as broad as States.ALL or States.TaskFailed', () => {
    const retried = allTasks.flatMap(([, state]) => (state.Retry ?? []).flatMap((retry) => retry.ErrorEquals));
    expect(INVALID_REPORT_INPUT_ERROR).toBe('InvalidReportInputError');
    expect(retried).not.toContain(INVALID_REPORT_INPUT_ERROR);
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.TaskFailed');
    expect(parallel.Retry).toBeUndefined();
  });

  it('catches every failure of the fetch, the Parallel (and so both branches) and the link publish into NotifyFailure', () => {
    const catching = Object.entries(states).filter(([, state]) => state.Catch);
    expect(catching.map(([name]) => name).sort()).toEqual([S.fetch, S.parallel, S.publish].sort());
    for (const [, state] of catching) {
      expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: S.notifyFailure }]);
    }
    // A branch cannot transition out of itself: the Parallel's Catch covers its tasks.
    for (const branch of parallel.Branches ?? []) {
      for (const state of Object.values(branch.States)) expect(state.Catch).toBeUndefined();
    }
  });

  it('notifies the failure with its error and cause through SNS, then ends in a Fail state with the original error', () => {
    const notify = states[S.notifyFailure];
    expect(notify).toMatchObject({ Type: 'Task', Resource: 'arn:aws:states:::sns:publish', ResultPath: null, Next: S.failed });
    expect(notify.Parameters).toMatchObject({ TopicArn: refs.topicArn, Subject: expect.stringContaining('could not be made') });
    const message = String(notify.Parameters?.['Message.$']);
    expect(message).toMatch(/^States\.Format\('.*could not be made/);
    expect(message).toContain('$.error.Error');
    expect(message).toContain('$.error.Cause');
    expect(notify.Catch).toBeUndefined();
    expect(states[S.failed]).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('never reaches the link publish from the failure path, and the failure path always ends FAILED', () => {
    const afterFailure = reachableFrom(S.notifyFailure);
    expect([...afterFailure].sort()).toEqual([S.failed, S.notifyFailure].sort());
    expect(afterFailure).not.toContain(S.publish);
    // Every top-level state is reachable from the start: nothing is dead code.
    expect([...reachableFrom(definition.StartAt)].sort()).toEqual(Object.keys(states).sort());
  });
});
