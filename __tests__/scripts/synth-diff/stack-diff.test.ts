import { diffStacks, formatDifferences } from '../../../scripts/synth-diff/stack-diff';

const policy = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 'sqs:SendMessage' }] });

const before = {
  resource: {
    aws_iam_role_policy: {
      api_role_send: { name: 'send-to-queue', policy: policy('SendToQueue') },
      fn_role_logs: { name: 'logs', policy: policy('Logs') },
    },
    aws_sqs_queue: { queue: { name: 'dev-POC-Queue', visibility_timeout_seconds: 60 } },
  },
  output: { api_url: { value: '${aws_api_gateway_stage.stage.invoke_url}' } },
  terraform: { backend: { local: { path: 'a' } } },
};

test('identical stacks have no differences', () => {
  expect(diffStacks(before, structuredClone(before))).toEqual([]);
});

test('a renamed resource is one removed and one added address; a changed argument names its path', () => {
  const after = structuredClone(before) as typeof before & { resource: { aws_iam_role_policy: Record<string, unknown> } };
  delete (after.resource.aws_iam_role_policy as Record<string, unknown>).api_role_send;
  after.resource.aws_iam_role_policy.api_role_send_to_queue = { name: 'send-to-queue', policy: policy('SendToQueue') };
  after.resource.aws_sqs_queue.queue.visibility_timeout_seconds = 120;

  expect(diffStacks(before, after)).toEqual([
    { address: 'resource.aws_iam_role_policy.api_role_send', kind: 'removed', changes: [] },
    { address: 'resource.aws_iam_role_policy.api_role_send_to_queue', kind: 'added', changes: [] },
    { address: 'resource.aws_sqs_queue.queue', kind: 'changed', changes: ['visibility_timeout_seconds: 60 -> 120'] },
  ]);
});

test('a policy document held in a string is compared as JSON, statement by statement', () => {
  const after = structuredClone(before);
  after.resource.aws_iam_role_policy.fn_role_logs.policy = policy('WriteLogs');
  const differences = diffStacks(before, after);
  expect(differences).toEqual([
    { address: 'resource.aws_iam_role_policy.fn_role_logs', kind: 'changed', changes: ['policy.Statement[0].Sid: "Logs" -> "WriteLogs"'] },
  ]);
  expect(formatDifferences(differences)).toEqual([
    'changed resource.aws_iam_role_policy.fn_role_logs',
    '          policy.Statement[0].Sid: "Logs" -> "WriteLogs"',
  ]);
});

test('outputs and top-level blocks such as the backend are compared too', () => {
  const after = structuredClone(before) as Record<string, unknown> & typeof before;
  after.terraform.backend.local.path = 'b';
  (after as Record<string, unknown>).moved = [{ from: 'a', to: 'b' }];
  delete (after.output as Record<string, unknown>).api_url;
  expect(diffStacks(before, after).map(({ address, kind }) => `${kind} ${address}`)).toEqual([
    'removed output.api_url',
    'changed terraform',
    'added moved a -> b',
  ]);
});

test('a resource a moved block takes to a new address is one move, with what changed on the way', () => {
  const after = structuredClone(before) as unknown as { moved?: unknown; resource: { aws_iam_role_policy: Record<string, unknown> } };
  const { api_role_send: sent, ...others } = after.resource.aws_iam_role_policy as Record<string, { name: string; policy: string }>;
  after.resource.aws_iam_role_policy = { ...others, api_role_send_to_queue: { ...sent, policy: policy('SendMessages') } };
  after.moved = [{ from: 'aws_iam_role_policy.api_role_send', to: 'aws_iam_role_policy.api_role_send_to_queue' }];
  const differences = diffStacks(before, after);
  expect(differences).toEqual([
    {
      address: 'resource.aws_iam_role_policy.api_role_send_to_queue',
      kind: 'moved',
      from: 'resource.aws_iam_role_policy.api_role_send',
      changes: ['policy.Statement[0].Sid: "SendToQueue" -> "SendMessages"'],
    },
  ]);
  expect(formatDifferences(differences)[0]).toBe('moved   resource.aws_iam_role_policy.api_role_send_to_queue (from resource.aws_iam_role_policy.api_role_send)');
  expect(diffStacks(after, after)).toEqual([]);
});
