import { provisionStack } from '../../../local/provision/provision';
import { ProvisionedStack } from '../../../local/provision/provisioned-stack';
import type { ProvisionClients, ProvisionedResource } from '../../../local/provision/provisioner';
import { provisionSubscriptions } from '../../../local/provision/topics';
import { refersToNotRunResource } from '../../../local/stack/outputs';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';

const NO_CLIENTS = {} as ProvisionClients;

test('a stack with a resource type the runtime cannot create is refused before anything starts', async () => {
  const stack = new SynthesizedStack({ resource: { aws_efs_file_system: { files: { creation_token: 'f' } }, aws_iam_role: { r: { name: 'r' } } } });
  await expect(provisionStack(stack, NO_CLIENTS, 'us-east-1')).rejects.toThrow(/cannot create these resource types yet: aws_efs_file_system/);
});

test('references resolve to local ARNs, and an unknown attribute names the file to extend', () => {
  const stack = new SynthesizedStack({
    resource: {
      aws_iam_role: { role: { name: 'dev-role' } },
      aws_lambda_function: { fn: { function_name: 'dev-fn' } },
      aws_sqs_queue: { q: { name: 'dev-q' } },
    },
  });
  const local = new ProvisionedStack(stack, 'eu-west-1');
  expect(local.resolve('${aws_iam_role.role.arn}')).toBe('arn:aws:iam::000000000000:role/dev-role');
  expect(local.resolve('${aws_lambda_function.fn.arn}')).toBe('arn:aws:lambda:eu-west-1:000000000000:function:dev-fn');
  expect(() => local.resolve('${aws_sqs_queue.q.arn}')).toThrow(/cannot resolve \$\{aws_sqs_queue\.q\.arn\}: add it to local\/provision\/provisioned-stack\.ts/);
});

test('user pools are announced as token issuers, and what refers to a hosted UI is recognised', async () => {
  const stack = new SynthesizedStack({ resource: { aws_cognito_user_pool: { users: { name: 'dev-users' } } } });
  const announced: unknown[] = [];
  await provisionStack(stack, NO_CLIENTS, 'us-east-1', (resource) => announced.push(resource));
  expect(announced).toEqual([{ type: 'user pool', name: 'dev-users', detail: 'run by the local runtime: its tokens, hosted UI and cognito-idp endpoint' }]);
  expect(refersToNotRunResource('https://${aws_cognito_user_pool_domain.d.domain}.auth.us-east-1.amazoncognito.com')).toBe(true);
  expect(refersToNotRunResource('${aws_cognito_user_pool.users.id}')).toBe(false);
  expect(refersToNotRunResource('${aws_sns_topic.t.arn}')).toBe(false);
});

test('email and SMS subscriptions are remembered for the inbox to capture, never sent', async () => {
  const stack = new SynthesizedStack({
    resource: {
      aws_sns_topic: { alerts: { name: 'dev-inventory-alerts' } },
      aws_sns_topic_subscription: {
        email: { topic_arn: '${aws_sns_topic.alerts.arn}', protocol: 'email', endpoint: 'ops@example.com' },
        sms: { topic_arn: '${aws_sns_topic.alerts.arn}', protocol: 'sms', endpoint: '+14155550100' },
      },
    },
  });
  const provisioned = new ProvisionedStack(stack, 'us-east-1');
  provisioned.topics.set('alerts', { name: 'dev-inventory-alerts', arn: 'arn:aws:sns:us-east-1:000000000000:dev-inventory-alerts', emailSubscribers: [], smsSubscribers: [] });
  const announced: ProvisionedResource[] = [];

  await provisionSubscriptions({ stack, clients: NO_CLIENTS, provisioned, onCreated: (resource) => announced.push(resource) });

  expect(provisioned.topics.get('alerts')).toMatchObject({ emailSubscribers: ['ops@example.com'], smsSubscribers: ['+14155550100'] });
  expect(announced.map((resource) => resource.detail)).toEqual([
    'email to ops@example.com (captured locally, not sent)',
    'sms to +14155550100 (captured locally, not sent)',
  ]);
});
