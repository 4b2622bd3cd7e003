import type { AwsIntegrationRequest } from '../../../local/api-gateway/rest-api-server';
import { stepFunctionsBackend, StepFunctionsError, type StartExecutionRequest } from '../../../local/api-gateway/step-functions-adapter';

const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:test-report';
const EXECUTION = 'arn:aws:states:us-east-1:111122223333:execution:test-report:e-1';
const URI = 'arn:aws:apigateway:us-east-1:states:action/StartExecution';

const request = (body: string, uri = URI, headers: Record<string, string> = {}): AwsIntegrationRequest => ({ uri, httpMethod: 'POST', headers, body });

describe('stepFunctionsBackend', () => {
  let started: StartExecutionRequest[];
  let fail: Error | undefined;
  const backend = stepFunctionsBackend({
    startExecution: (input) => {
      started.push(input);
      if (fail) throw fail;
      return { executionArn: EXECUTION, startDate: new Date('2026-11-23T10:00:00.250Z') };
    },
  });
  const answer = async (body: string, uri?: string, headers?: Record<string, string>) => {
    const response = await backend(request(body, uri, headers));
    return { statusCode: response.statusCode, json: JSON.parse(response.body) as unknown };
  };

  beforeEach(() => {
    started = [];
    fail = undefined;
  });

  it("starts the execution and answers StartExecution's JSON, startDate in epoch seconds", async () => {
    const result = await answer(JSON.stringify({ stateMachineArn: STATE_MACHINE, input: '{"a": 1}', name: 'run-1' }));

    expect(result).toEqual({ statusCode: 200, json: { executionArn: EXECUTION, startDate: 1795428000.25 } });
    expect(started).toEqual([{ stateMachineArn: STATE_MACHINE, input: '{"a": 1}', name: 'run-1' }]);
  });

  it('gives an execution without input {} and without a name none', async () => {
    await answer(JSON.stringify({ stateMachineArn: STATE_MACHINE }));

    expect(started).toEqual([{ stateMachineArn: STATE_MACHINE, input: '{}' }]);
  });

  it('takes the action from X-Amz-Target with a path uri', async () => {
    const result = await answer(JSON.stringify({ stateMachineArn: STATE_MACHINE }), 'arn:aws:apigateway:us-east-1:states:path//', {
      'X-Amz-Target': 'AWSStepFunctions.StartExecution',
    });

    expect(result.statusCode).toBe(200);
  });

  it.each([
    ['another action', JSON.stringify({ stateMachineArn: STATE_MACHINE }), 'arn:aws:apigateway:us-east-1:states:action/StopExecution', 'com.amazon.coral.service#UnknownOperationException'],
    ['a body that is not JSON', '{"stateMachineArn": ', URI, 'com.amazon.coral.service#SerializationException'],
    ['no state machine', '{"input": "{}"}', URI, 'com.amazon.coral.validate#ValidationException'],
    ['an invalid ARN', '{"stateMachineArn": "arn:aws:sqs:us-east-1:111122223333:q"}', URI, 'com.amazonaws.swf.service.v2.model#InvalidArn'],
    ['input that is not JSON', JSON.stringify({ stateMachineArn: STATE_MACHINE, input: '{"a": ' }), URI, 'com.amazonaws.swf.service.v2.model#InvalidExecutionInput'],
    ['an invalid name', JSON.stringify({ stateMachineArn: STATE_MACHINE, name: 'a b' }), URI, 'com.amazonaws.swf.service.v2.model#InvalidName'],
  ])('answers 400 for %s without starting anything', async (_case, body, uri, type) => {
    const result = await answer(body, uri);

    expect(result).toEqual({ statusCode: 400, json: { __type: type, message: expect.any(String) } });
    expect(started).toEqual([]);
  });

  it.each([
    ['a Step Functions error', new StepFunctionsError('ExecutionLimitExceeded', 'too many'), 400, 'com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded', 'too many'],
    ['a Step Functions server error', new StepFunctionsError('ServiceUnavailable', 'down', 503), 503, 'com.amazonaws.swf.service.v2.model#ServiceUnavailable', 'down'],
    [
      'an SDK client error',
      Object.assign(new Error('no such machine'), { name: 'StateMachineDoesNotExist', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
      400,
      'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist',
      'no such machine',
    ],
    ['any other error', new Error('the local runtime broke'), 500, 'com.amazon.coral.service#InternalFailure', 'the local runtime broke'],
  ])('answers %s from startExecution in Step Functions\' JSON shape', async (_case, error, statusCode, type, message) => {
    fail = error;

    expect(await answer(JSON.stringify({ stateMachineArn: STATE_MACHINE }))).toEqual({ statusCode, json: { __type: type, message } });
  });

  it('answers 500 when startExecution answers something else than { executionArn, startDate }', async () => {
    const broken = stepFunctionsBackend({ startExecution: () => ({ executionArn: EXECUTION, startDate: 1 as unknown as Date }) });

    const response = await broken(request(JSON.stringify({ stateMachineArn: STATE_MACHINE })));

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ __type: 'com.amazon.coral.service#InternalFailure' });
  });
});
