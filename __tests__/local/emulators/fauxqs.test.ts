import { CreateTopicCommand, ListTopicsCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startFauxqs, type RunningFauxqs } from '../../../local/emulators/fauxqs';
import type { CreatedObject } from '../../../local/event-sources/s3-event-record';
import { CONDITION_DEADLINE_MS, EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { acceptsConnections, portOf, runNodeProgram } from '../support/process-checks';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('startFauxqs', () => {
  let instance: RunningFauxqs;
  let sns: SNSClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    const startedAt = Date.now();
    instance = await startFauxqs();
    console.info(`fauxqs listened after ${Date.now() - startedAt} ms`);
    sns = new SNSClient({ region: 'us-east-1', credentials, endpoint: instance.endpoint });
    // An explicit endpoint: the queue URLs fauxqs returns name a host that may not resolve.
    sqs = new SQSClient({ region: 'us-east-1', credentials, endpoint: instance.endpoint });
  }, EMULATOR_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await instance?.stop();
  });

  it('listens on a loopback port it chose, and on no other interface', async () => {
    expect(instance.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portOf(instance.endpoint)).not.toBe(4566);
    const externalAddresses = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
      .map((address) => address?.address as string);
    for (const address of externalAddresses) {
      await expect(acceptsConnections(portOf(instance.endpoint), address)).resolves.toBe(false);
    }
  });

  it('reports each object created in its S3, with how it was created, size and ETag', async () => {
    const s3 = new S3Client({ region: 'us-east-1', credentials, endpoint: instance.endpoint });
    const created: CreatedObject[] = [];
    const unsubscribe = instance.onObjectCreated((object) => created.push(object));
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'observed' }));
      await s3.send(new PutObjectCommand({ Bucket: 'observed', Key: 'uploads/a b.json', Body: '[1]' }));
      await s3.send(new CopyObjectCommand({ Bucket: 'observed', Key: 'copies/a.json', CopySource: 'observed/uploads/a%20b.json' }));
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'observed', Key: 'big.json' }));
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: 'observed', Key: 'big.json', UploadId, PartNumber: 1, Body: '[2]' }));
      await s3.send(
        new CompleteMultipartUploadCommand({ Bucket: 'observed', Key: 'big.json', UploadId, MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] } }),
      );
      // Reports come over IPC, after the writes' answers: wait for them, then a little longer for any extra.
      const giveUpAt = Date.now() + CONDITION_DEADLINE_MS;
      while (created.length < 3 && Date.now() < giveUpAt) await sleep(50);
      await sleep(100);
      expect(created).toEqual([
        { bucket: 'observed', key: 'uploads/a b.json', eventName: 'ObjectCreated:Put', size: 3, eTag: expect.stringMatching(/^"[0-9a-f]{32}"$/) },
        { bucket: 'observed', key: 'copies/a.json', eventName: 'ObjectCreated:Copy', size: 3, eTag: expect.any(String) },
        { bucket: 'observed', key: 'big.json', eventName: 'ObjectCreated:CompleteMultipartUpload', size: 3, eTag: expect.stringMatching(/-1"$/) },
      ]);
    } finally {
      unsubscribe();
      s3.destroy();
    }
  });

  it('fans an SNS message out to a subscribed SQS queue', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fan-out' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'fan-out-subscriber' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));

    await sns.send(new PublishCommand({ TopicArn, Subject: 'Hello', Message: 'ça & va + 100%' }));

    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    expect(Messages.map((message) => JSON.parse(message.Body ?? ''))).toEqual([
      expect.objectContaining({ Type: 'Notification', TopicArn, Subject: 'Hello', Message: 'ça & va + 100%' }),
    ]);
  });

  it('returns queue URLs on a host of its own, usable only with an explicit client endpoint', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'url-shape' }));

    // If this changes, the warning in local/emulators/fauxqs.ts may no longer apply.
    expect(QueueUrl).toBe(`http://sqs.us-east-1.localhost:${portOf(instance.endpoint)}/000000000000/url-shape`);
  });

  it('serves S3 on the same endpoint, path-style', async () => {
    expect((await fetch(`${instance.endpoint}/reports`, { method: 'PUT' })).status).toBe(200);
    expect((await fetch(`${instance.endpoint}/reports/a.txt`, { method: 'PUT', body: 'hello' })).status).toBe(200);

    const object = await fetch(`${instance.endpoint}/reports/a.txt`);
    await expect(object.text()).resolves.toBe('hello');
  });

  it('keeps each instance separate, and stop() closes its port', async () => {
    const other = await startFauxqs();
    const port = portOf(other.endpoint);
    const otherSns = new SNSClient({ region: 'us-east-1', credentials, endpoint: other.endpoint });
    try {
      await sns.send(new CreateTopicCommand({ Name: 'only-in-first' }));
      const { Topics = [] } = await otherSns.send(new ListTopicsCommand({}));
      expect(Topics.map((topic) => topic.TopicArn)).not.toContainEqual(expect.stringContaining('only-in-first'));
    } finally {
      otherSns.destroy();
      await other.stop();
    }

    await expect(acceptsConnections(port)).resolves.toBe(false);
    await expect(other.stop()).resolves.toBeUndefined();
  }, EMULATOR_HOOK_TIMEOUT_MS);

  it('goes away when its owner is killed without a chance to clean up', async () => {
    // The owner prints the endpoint, then SIGKILLs itself: no exit hook can run.
    const output = await runNodeProgram(`
      const { startFauxqs } = require('./local/emulators/fauxqs.ts');
      startFauxqs().then((emulator) => {
        console.log(emulator.endpoint);
        setTimeout(() => process.kill(process.pid, 'SIGKILL'), 100);
      });
    `, EMULATOR_HOOK_TIMEOUT_MS).catch((error: { stdout?: string }) => error.stdout ?? '');
    const port = portOf(output.trim());
    expect(port).toBeGreaterThan(0);

    // The child notices its parent is gone when the IPC channel closes: soon, but not at once.
    let open = true;
    const giveUpAt = Date.now() + CONDITION_DEADLINE_MS;
    while (open && Date.now() < giveUpAt) {
      open = await acceptsConnections(port);
      if (open) await sleep(100);
    }
    expect(open).toBe(false);
  }, EMULATOR_HOOK_TIMEOUT_MS);
});
