import type { SQSClient } from '@aws-sdk/client-sqs';
import { ProvisionedStack } from '../../../local/provision/provisioned-stack';
import type { ProvisionClients } from '../../../local/provision/provisioner';
import { provisionQueues } from '../../../local/provision/queues';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';

/** The attributes each CreateQueue asked for, from a stand-in SQS client. */
async function createdQueueAttributes(queues: Record<string, Record<string, unknown>>): Promise<Record<string, Record<string, string>>> {
  const created: Record<string, Record<string, string>> = {};
  const sqs = {
    send: async (command: { input: { QueueName?: string; QueueUrl?: string; Attributes?: Record<string, string> } }) => {
      const { QueueName, QueueUrl, Attributes } = command.input;
      if (QueueName !== undefined) {
        created[QueueName] = Attributes ?? {};
        return { QueueUrl: `http://127.0.0.1:1/000000000000/${QueueName}` };
      }
      return { Attributes: { QueueArn: `arn:aws:sqs:us-east-1:000000000000:${QueueUrl?.split('/').pop()}` } };
    },
  } as unknown as SQSClient;
  const stack = new SynthesizedStack({ resource: { aws_sqs_queue: queues } });
  const clients = { sqs } as ProvisionClients;
  await provisionQueues({ stack, clients, provisioned: new ProvisionedStack(stack, 'us-east-1'), onCreated: () => {} });
  return created;
}

test("a queue without max_message_size gets hashicorp/aws 5.100's default, 262,144 bytes, as terraform apply gives it", async () => {
  const created = await createdQueueAttributes({ plain: { name: 'dev-plain' }, sized: { name: 'dev-sized', max_message_size: 2048 } });

  // fauxqs would otherwise take 1 MiB, and a message AWS refuses would be queued locally.
  expect(created['dev-plain']).toMatchObject({ MaximumMessageSize: '262144' });
  expect(created['dev-sized']).toMatchObject({ MaximumMessageSize: '2048' });
});
