import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { javaUrlEncode } from '../../../local/api-gateway/mapping-template';
import { startRestApi } from '../../../local/api-gateway/rest-api-server';
import { sqsQueryBackend } from '../../../local/api-gateway/sqs-query-adapter';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';
import { ordersStack, postJson } from './support';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const uriOf = (account: string, queue: string) => `arn:aws:apigateway:us-east-1:sqs:path/${account}/${queue}`;
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

describe('sqsQueryBackend, with a stand-in SDK client', () => {
  const failingClient = (error: object) => ({ send: async () => Promise.reject(error) }) as unknown as SQSClient;
  const queueUrlOf = async (account: string, queue: string) => `http://127.0.0.1:1/${account}/${queue}`;

  it('answers an unknown action with 400 InvalidAction, without calling SQS', async () => {
    const send = jest.fn();
    const backend = sqsQueryBackend({ sqs: { send } as unknown as SQSClient, queueUrlOf });

    const answer = await backend({ uri: uriOf('1', 'q'), httpMethod: 'POST', headers: FORM, body: 'Action=DeleteQueue' });

    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      Error: { Code: 'InvalidAction', Message: 'The action DeleteQueue is not valid for this endpoint.', Type: 'Sender' },
      RequestId: expect.any(String),
    });
    expect(send).not.toHaveBeenCalled();
  });

  it('fails loudly, without calling the local SQS, on a character SQS takes and fauxqs refuses', async () => {
    const send = jest.fn();
    const backend = sqsQueryBackend({ sqs: { send } as unknown as SQSClient, queueUrlOf });
    const body = `Action=SendMessage&MessageBody=${encodeURIComponent('{"item": "soap 🧽"}')}`;

    await expect(backend({ uri: uriOf('1', 'q'), httpMethod: 'POST', headers: FORM, body })).rejects.toThrow(
      /U\+1F9FD, a character outside Unicode's Basic Multilingual Plane: SQS takes it, but fauxqs 1\.9 \(the local SQS\) refuses it, so this is not supported locally/,
    );
    expect(send).not.toHaveBeenCalled();
  });

  it("answers an SDK client fault with 400 and the Query API's error, code included", async () => {
    const backend = sqsQueryBackend({
      sqs: failingClient(Object.assign(new Error('The specified queue does not exist.'), {
        name: 'QueueDoesNotExist',
        Code: 'AWS.SimpleQueueService.NonExistentQueue',
        $fault: 'client',
        $metadata: { requestId: 'sqs-request-1' },
      })),
      queueUrlOf,
    });

    const answer = await backend({ uri: uriOf('1', 'q'), httpMethod: 'POST', headers: FORM, body: 'Action=SendMessage&MessageBody=x' });

    expect(answer).toEqual({
      statusCode: 400,
      body: JSON.stringify({
        Error: { Code: 'AWS.SimpleQueueService.NonExistentQueue', Message: 'The specified queue does not exist.', Type: 'Sender' },
        RequestId: 'sqs-request-1',
      }),
    });
  });

  it('answers a server fault, or a failure to reach SQS, with 500 and Type Receiver', async () => {
    const serverFault = sqsQueryBackend({ sqs: failingClient(Object.assign(new Error('boom'), { name: 'InternalError', $fault: 'server' })), queueUrlOf });
    const unreachable = sqsQueryBackend({ sqs: failingClient(new Error('connect ECONNREFUSED 127.0.0.1:1')), queueUrlOf });

    for (const backend of [serverFault, unreachable]) {
      const answer = await backend({ uri: uriOf('1', 'q'), httpMethod: 'POST', headers: FORM, body: 'Action=SendMessage&MessageBody=x' });
      expect(answer.statusCode).toBe(500);
      expect(JSON.parse(answer.body).Error.Type).toBe('Receiver');
    }
  });

  it('refuses a SendMessage without MessageBody, or with a DelaySeconds that is not a number', async () => {
    const backend = sqsQueryBackend({ sqs: failingClient(new Error('not called')), queueUrlOf });

    const noBody = await backend({ uri: uriOf('1', 'q'), httpMethod: 'POST', headers: FORM, body: 'Action=SendMessage' });
    const badDelay = await backend({ uri: uriOf('1', 'q'), httpMethod: 'POST', headers: FORM, body: 'Action=SendMessage&MessageBody=x&DelaySeconds=soon' });

    expect([noBody.statusCode, JSON.parse(noBody.body).Error.Code]).toEqual([400, 'MissingParameter']);
    expect([badDelay.statusCode, JSON.parse(badDelay.body).Error.Code]).toEqual([400, 'InvalidParameterValue']);
  });
});

describe('sqsQueryBackend against fauxqs', () => {
  // fauxqs is shared with the other suites of this jest worker: queue names are this suite's own.
  const names = uniqueNames();
  const INTACT = names.queue('adapter-intact');
  const ATTRIBUTES = names.queue('adapter-attributes');
  let sqs: SQSClient;
  const queueUrlOf = async (_account: string, queueName: string) => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    return QueueUrl as string;
  };
  const receiveOne = async (queueUrl: string): Promise<Message> => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2, MessageAttributeNames: ['All'] }));
    expect(Messages).toHaveLength(1);
    return Messages[0];
  };

  beforeAll(async () => {
    const fauxqs = await workerEmulators().fauxqs();
    // An explicit endpoint: fauxqs's queue URLs name a host that may not resolve.
    sqs = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, endpoint: fauxqs.endpoint });
  }, EMULATOR_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    sqs?.destroy();
  });

  it("sends the form's MessageBody intact and answers SendMessage's Query API JSON", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: INTACT }));
    const body = '{"item": "soap & water + 100% pure é", "customerID": "a=b&c"}';
    const backend = sqsQueryBackend({ sqs, queueUrlOf });

    const answer = await backend({
      uri: uriOf('000000000000', INTACT),
      httpMethod: 'POST',
      headers: FORM,
      body: `Action=SendMessage&MessageBody=${javaUrlEncode(body)}`,
    });

    expect(answer.statusCode).toBe(200);
    const result = JSON.parse(answer.body);
    expect(result).toEqual({
      SendMessageResponse: {
        ResponseMetadata: { RequestId: expect.any(String) },
        SendMessageResult: {
          MD5OfMessageAttributes: null,
          MD5OfMessageBody: md5(body),
          MD5OfMessageSystemAttributes: null,
          MessageId: expect.any(String),
          SequenceNumber: null,
        },
      },
    });
    const message = await receiveOne(QueueUrl as string);
    expect(message.Body).toBe(body);
    expect(message.MessageId).toBe(result.SendMessageResponse.SendMessageResult.MessageId);
  });

  it('passes message attributes and reads + as a space', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: ATTRIBUTES }));
    const backend = sqsQueryBackend({ sqs, queueUrlOf });

    const answer = await backend({
      uri: uriOf('000000000000', ATTRIBUTES),
      httpMethod: 'POST',
      headers: FORM,
      body: [
        'Action=SendMessage',
        'MessageBody=hello+world%21',
        'DelaySeconds=0',
        'MessageAttribute.1.Name=source',
        'MessageAttribute.1.Value.DataType=String',
        'MessageAttribute.1.Value.StringValue=api+gateway',
      ].join('&'),
    });

    expect(answer.statusCode).toBe(200);
    const message = await receiveOne(QueueUrl as string);
    expect(message.Body).toBe('hello world!');
    expect(message.MessageAttributes).toEqual({ source: expect.objectContaining({ DataType: 'String', StringValue: 'api gateway' }) });
  });

  it("answers 400 with SQS's error for a queue that does not exist", async () => {
    const backend = sqsQueryBackend({ sqs, queueUrlOf });

    const answer = await backend({ uri: uriOf('000000000000', 'no-such-queue'), httpMethod: 'POST', headers: FORM, body: 'Action=SendMessage&MessageBody=x' });

    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      Error: { Code: expect.stringMatching(/NonExistentQueue|QueueDoesNotExist/), Message: expect.any(String), Type: 'Sender' },
      RequestId: expect.any(String),
    });
  });

  it("answers a message over the queue's MaximumMessageSize as SQS does: 400 InvalidParameterValue naming the limit", async () => {
    const SMALL = names.queue('adapter-small');
    await sqs.send(new CreateQueueCommand({ QueueName: SMALL, Attributes: { MaximumMessageSize: '1024' } }));
    const backend = sqsQueryBackend({ sqs, queueUrlOf });

    const answer = await backend({ uri: uriOf('000000000000', SMALL), httpMethod: 'POST', headers: FORM, body: `Action=SendMessage&MessageBody=${'x'.repeat(1025)}` });

    expect(answer.statusCode).toBe(400);
    // SQS names this common error without the AWS.SimpleQueueService. prefix fauxqs gives it.
    expect(JSON.parse(answer.body)).toEqual({
      Error: { Code: 'InvalidParameterValue', Message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.', Type: 'Sender' },
      RequestId: expect.any(String),
    });
  });

  it('queues an order posted to the orders API, with the message id as orderId', async () => {
    const { stack, resolve } = ordersStack();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'test-POC-Queue' }));
    const api = await startRestApi({ stack, resolve, backends: { sqs: sqsQueryBackend({ sqs, queueUrlOf }) } });
    try {
      const order = '{"item": "latex gloves & soap + 100% é", "customerID": "12345"}';

      const answer = await postJson(api.url, order);

      expect(answer.status).toBe(200);
      const message = await receiveOne(QueueUrl as string);
      expect(answer.json).toEqual({ orderId: message.MessageId, status: 'accepted' });
      expect(message.Body).toBe(order);
    } finally {
      await api.stop();
    }
  });
});
