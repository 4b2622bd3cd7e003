/**
 * The Step Functions JSON API (`POST /`, AWS JSON 1.0, `X-Amz-Target`) as far as a function
 * of the run uses it: `DescribeExecution` of the run's own state machines (the report API's
 * ReportStatus asks where a report stands). `@aws-sdk/client-sfn` pointed here
 * (`AWS_ENDPOINT_URL_SFN`) works unchanged; without it the function would reach for AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningPart } from '../running-part';
import type { ExecutionDescription, LocalStateMachine } from './local-state-machine';

const TARGET = 'AWSStepFunctions.DescribeExecution';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface RunningSfnApi extends RunningPart {
  /** What `AWS_ENDPOINT_URL_SFN` points to. */
  readonly endpoint: string;
}

/** `machines` is asked at each request: the run's state machines start after their functions' environment is set. */
export async function startLocalSfnApi(machines: () => Iterable<LocalStateMachine>): Promise<RunningSfnApi> {
  const server = createServer((request, response) => void answer(request, response, machines));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    idle: () => Promise.resolve(),
    stop: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, machines: () => Iterable<LocalStateMachine>): Promise<void> {
  const send = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-RequestId': randomUUID() });
    response.end(JSON.stringify(body));
  };
  const fail = (type: string, message: string) => send(400, { __type: type, message });
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (request.method !== 'POST' || request.headers['x-amz-target'] !== TARGET) {
    return fail('UnknownOperationException', `The local Step Functions endpoint answers DescribeExecution only, not ${String(request.headers['x-amz-target'] ?? 'a request without X-Amz-Target')}`);
  }
  let executionArn: unknown;
  try {
    executionArn = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { executionArn?: unknown } | null)?.executionArn;
  } catch {
    return fail('SerializationException', 'The request body is not JSON');
  }
  if (typeof executionArn !== 'string') return fail('InvalidArn', 'Invalid Arn: executionArn is required');
  for (const machine of machines()) {
    let description: ExecutionDescription;
    try {
      description = machine.describeExecution(executionArn);
    } catch {
      continue;
    }
    return send(200, wireDescription(description));
  }
  fail('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
}

/** As the service answers: dates in epoch seconds, input and output as JSON text. */
function wireDescription(description: ExecutionDescription): Record<string, unknown> {
  return {
    executionArn: description.executionArn,
    stateMachineArn: description.stateMachineArn,
    name: description.name,
    status: description.status,
    startDate: description.startDate.getTime() / 1000,
    ...(description.stopDate ? { stopDate: description.stopDate.getTime() / 1000 } : {}),
    input: JSON.stringify(description.input),
    ...(description.status === 'SUCCEEDED' ? { output: JSON.stringify(description.output ?? null) } : {}),
    ...(description.error === undefined ? {} : { error: description.error }),
    ...(description.cause === undefined ? {} : { cause: description.cause }),
  };
}
