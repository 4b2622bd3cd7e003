import { errorMessage, messageForStatus, s3ErrorMessage } from '../../dashboard/src/api-error';

describe('errorMessage: what a person reads for a failed API answer', () => {
  test('the API\'s own {"message"} sentence', () => {
    expect(errorMessage(400, '{"message":"pageSize must be a whole number from 1 to 100."}')).toBe(
      'pageSize must be a whole number from 1 to 100.',
    );
  });

  test('API Gateway\'s capitalised {"Message"}', () => {
    expect(errorMessage(403, '{"Message":"User is not authorized to access this resource"}')).toBe(
      'User is not authorized to access this resource',
    );
  });

  test.each([
    [502, '<html><body>Bad gateway</body></html>', 'The server had a problem (502). Try again in a moment.'],
    [500, '', 'The server had a problem (500). Try again in a moment.'],
    [404, '{"error":"nope"}', 'It was not found (404 Not Found).'],
    [400, '["a list"]', 'The request was not accepted (400 Bad Request).'],
    [413, '{"message":"   "}', 'That is too large for the server to accept (413).'],
    [429, 'null', 'The server is busy (429 Too Many Requests). Try again in a moment.'],
    [418, '{"message":42}', 'The request failed with status 418.'],
  ])('status %i with body %j gets words, never the raw body', (status, body, expected) => {
    expect(errorMessage(status, body)).toBe(expected);
  });

  test('a very long message is cut short', () => {
    const message = errorMessage(400, JSON.stringify({ message: 'x'.repeat(5000) }));
    expect(message.length).toBeLessThanOrEqual(303);
    expect(message.endsWith('...')).toBe(true);
  });

  test('401 says the session ended', () => {
    expect(messageForStatus(401)).toBe('Your session has ended. Sign in again.');
  });
});

describe('s3ErrorMessage: S3 refuses a presigned POST in XML', () => {
  test('a file over the policy\'s content-length-range', () => {
    const xml = '<?xml version="1.0"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>';
    expect(s3ErrorMessage(400, xml)).toBe('The storage service refused the file: it is larger than the upload limit.');
  });

  test('an expired policy', () => {
    const xml = '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>';
    expect(s3ErrorMessage(403, xml)).toBe('The upload permission expired before the file was sent. Try the upload again.');
  });

  test('any other refusal keeps S3\'s message, unescaped', () => {
    const xml = '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$Content-Type&quot;]</Message></Error>';
    expect(s3ErrorMessage(403, xml)).toBe(
      'The storage service refused the file: Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type"]',
    );
  });

  test('no XML at all', () => {
    expect(s3ErrorMessage(503, '')).toBe('The storage service refused the file (status 503).');
  });
});
