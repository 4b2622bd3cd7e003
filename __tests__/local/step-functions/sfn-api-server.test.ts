/**
 * The local Step Functions endpoint a function of the run reaches through AWS_ENDPOINT_URL_SFN:
 * the SDK's DescribeExecution of a run's execution, as the service answers it, and the
 * service's ExecutionDoesNotExist for any other.
 */
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionDescription, LocalStateMachine } from '../../../local/step-functions/local-state-machine';
import { startLocalSfnApi, type RunningSfnApi } from '../../../local/step-functions/sfn-api-server';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:CreateReport';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:CreateReport:run-1';
const DESCRIPTION: ExecutionDescription = {
  executionArn: EXECUTION,
  name: 'run-1',
  stateMachineArn: MACHINE,
  status: 'SUCCEEDED',
  startDate: new Date('2026-12-05T21:00:00Z'),
  stopDate: new Date('2026-12-05T21:00:03Z'),
  input: { requestedBy: 'staff@example.com' },
  output: { reportUrl: 'http://127.0.0.1:1/report.html' },
};

const machine = {
  describeExecution(executionArn: string): ExecutionDescription {
    if (executionArn !== EXECUTION) throw Object.assign(new Error('no'), { name: 'ExecutionDoesNotExist' });
    return DESCRIPTION;
  },
} as unknown as LocalStateMachine;

let api: RunningSfnApi;
let sfn: SFNClient;

beforeAll(async () => {
  api = await startLocalSfnApi(() => [machine]);
  sfn = new SFNClient({ endpoint: api.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  sfn?.destroy();
  await api?.stop();
});

test('DescribeExecution of a run\'s execution: status, dates, input and output as the service gives them', async () => {
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn: EXECUTION }));
  expect(described).toMatchObject({ executionArn: EXECUTION, stateMachineArn: MACHINE, name: 'run-1', status: 'SUCCEEDED' });
  expect(described.startDate).toEqual(DESCRIPTION.startDate);
  expect(described.stopDate).toEqual(DESCRIPTION.stopDate);
  expect(JSON.parse(described.input!)).toEqual(DESCRIPTION.input);
  expect(JSON.parse(described.output!)).toEqual(DESCRIPTION.output);
});

test('an execution the run does not have: ExecutionDoesNotExist', async () => {
  await expect(sfn.send(new DescribeExecutionCommand({ executionArn: `${EXECUTION}-other` }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
});
