import { formatPipelineEvent } from '../../../local/pipeline/terminal-report';
import type { PipelineEvent } from '../../../local/pipeline/pipeline-events';
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

/** A link as the report pipeline emails it: a presigned GET whose signature is its last 64 characters. */
const PRESIGNED_LINK =
  'http://127.0.0.1:40123/dev-report-bucket-local/reports/0f6c2a52-4f0e-4a43-9a8e-2f0b1f3c9d11.html' +
  '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD' +
  '&X-Amz-Credential=local%2F20261123%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261123T100000Z&X-Amz-Expires=3600' +
  `&X-Amz-Security-Token=${'IQoJb3JpZ2luX2VjE'.repeat(20)}` +
  '&X-Amz-Signature=9f2b6c1a7d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddee&X-Amz-SignedHeaders=host&x-id=GetObject';

const email = (message: string): PipelineEvent => ({
  kind: 'notification',
  notification: { topicArn: 'arn:aws:sns:us-east-1:000000000000:dev-EmailReport', emailSubscribers: ['ana@example.com'], smsSubscribers: [], messageId: 'm1', subject: 'Your coffee supplier report', message, capturedAt: 0 },
});
const log = (line: string): PipelineEvent => ({ kind: 'log', functionName: 'dev-GenerateReport', line });

/** Every http(s) URL in the text, as a terminal's link detection would take it. */
const urlsIn = (text: string) => text.match(/https?:\/\/\S+/g) ?? [];

test("an emailed link is printed whole, so the link a person opens is the one S3 signed", () => {
  expect(PRESIGNED_LINK.length).toBeGreaterThan(400);
  const printed = formatPipelineEvent(email(`Your report is ready:\n${PRESIGNED_LINK} (this link expires in 60 minutes)`)) as string;
  expect(urlsIn(printed)).toEqual([PRESIGNED_LINK]);
});

test('an email body is never cut, however long its lines', () => {
  const paragraph = 'Suppliers: ' + Array.from({ length: 200 }, (_, i) => `Roaster ${i}`).join(', ');
  const printed = formatPipelineEvent(email(paragraph)) as string;
  expect(printed).toContain(paragraph);
});

test('a huge log line is still shortened, so it cannot flood the terminal', () => {
  const printed = formatPipelineEvent(log(`{"level":"ERROR","message":"refused","body":"${'x'.repeat(11 * 1024 * 1024)}"}`)) as string;
  expect(printed.length).toBeLessThan(1_000);
  expect(printed).toMatch(/more characters\)$/);
});

test('a long log line with a URL across the cut keeps the URL whole', () => {
  // Printed after the 30 characters of "  log     dev-GenerateReport: ", the URL starts before character 400 and ends after it.
  const line = `INFO Report link made ${'detail '.repeat(47)}url=${PRESIGNED_LINK} ${'tail '.repeat(1000)}`;
  const printed = formatPipelineEvent(log(line)) as string;
  expect(printed.length).toBeLessThan(line.length);
  expect(urlsIn(printed)).toEqual([PRESIGNED_LINK]);
});

test('a URL too long to print is left out, never printed in part', () => {
  const absurd = `http://127.0.0.1:1/b/k?q=${'a'.repeat(100_000)}`;
  const printed = formatPipelineEvent(log(`INFO ${'word '.repeat(70)}${absurd} after`)) as string;
  expect(printed.length).toBeLessThan(1_000);
  expect(urlsIn(printed)).toEqual([]);
});

test('short lines are printed as they are', () => {
  expect(formatPipelineEvent(log('plain line'))).toBe('  log     dev-GenerateReport: plain line');
});
