import { formatPipelineEvent } from '../../../local/pipeline/terminal-report';
import type { CapturedNotification } from '../../../local/sns/notification-inbox';

const notification = (subscribers: Pick<CapturedNotification, 'emailSubscribers' | 'smsSubscribers'>): CapturedNotification => ({
  topicArn: 'arn:aws:sns:us-east-1:000000000000:dev-inventory-alerts',
  messageId: 'm-1',
  subject: 'Low Stock Alert',
  message: 'Low stock: Laptop\nQuantity: 3',
  capturedAt: 0,
  ...subscribers,
});
const show = (subscribers: Pick<CapturedNotification, 'emailSubscribers' | 'smsSubscribers'>) =>
  formatPipelineEvent({ kind: 'notification', notification: notification(subscribers) });

describe('a captured notification in the terminal', () => {
  it('shows the email with its subject, and the text without one', () => {
    expect(show({ emailSubscribers: ['ops@example.com'], smsSubscribers: ['+14155550100'] })).toBe(
      [
        'email     to ops@example.com (captured, not sent)',
        '          | Subject: Low Stock Alert',
        '          | Low stock: Laptop',
        '          | Quantity: 3',
        'sms       to +14155550100 (captured, not sent)',
        '          | Low stock: Laptop',
        '          | Quantity: 3',
      ].join('\n'),
    );
  });

  it('shows only the text when only a phone is subscribed', () => {
    expect(show({ emailSubscribers: [], smsSubscribers: ['+14155550100'] })).toBe(
      ['sms       to +14155550100 (captured, not sent)', '          | Low stock: Laptop', '          | Quantity: 3'].join('\n'),
    );
  });

  it('shows the email the topic would send when no one is subscribed', () => {
    expect(show({ emailSubscribers: [], smsSubscribers: [] })).toMatch(/^email {5}to the topic subscribers \(captured, not sent\)\n {10}\| Subject: Low Stock Alert\n/);
  });
});
