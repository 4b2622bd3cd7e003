import { notificationMatches } from '../../../local/event-sources/s3-notification-source';
import { encodeS3EventKey, s3EventRecord } from '../../../local/event-sources/s3-event-record';

describe('S3 notifications', () => {
  const notification = { id: 'invoke-fn', bucket: 'uploads-bucket', events: ['s3:ObjectCreated:*'], filterPrefix: 'uploads/', filterSuffix: '.json' };
  const created = (key: string, eventName = 'ObjectCreated:Put' as const, bucket = 'uploads-bucket') => ({ bucket, key, size: 1, eTag: '"e"', eventName });

  it.each([
    ['uploads/inventory.json', true],
    ['uploads/shop 1/inventory.json', true],
    ['inventory.json', false],
    ['rejected/files/inventory.json', false],
    ['uploads/notes.txt', false],
    ['uploads/inventory.json.bak', false],
  ])('matches %s: %s', (key, expected) => {
    expect(notificationMatches(notification, created(key))).toBe(expected);
  });

  it('matches event types by name or wildcard, and only its own bucket', () => {
    expect(notificationMatches(notification, created('uploads/a.json', 'ObjectCreated:Put', 'other-bucket'))).toBe(false);
    const putsOnly = { ...notification, events: ['s3:ObjectCreated:Put'] };
    expect(notificationMatches(putsOnly, created('uploads/a.json', 'ObjectCreated:Put'))).toBe(true);
    expect(notificationMatches(putsOnly, { ...created('uploads/a.json'), eventName: 'ObjectCreated:Copy' })).toBe(false);
  });

  it("encodes keys as S3 does in events: spaces as '+', '+' as %2B, slashes kept", () => {
    expect(encodeS3EventKey('uploads/my inventory+1 é.json')).toBe('uploads/my+inventory%2B1+%C3%A9.json');
    const record = s3EventRecord(
      { ...created('uploads/my file.json'), versionId: 'v1', eTag: '"abc"' },
      { region: 'eu-west-1', configurationId: 'invoke-fn', eventTime: new Date('2026-11-23T00:00:00Z') },
    );
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2026-11-23T00:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        configurationId: 'invoke-fn',
        bucket: { name: 'uploads-bucket', arn: 'arn:aws:s3:::uploads-bucket' },
        object: { key: 'uploads/my+file.json', size: 1, eTag: 'abc', versionId: 'v1' },
      },
    });
  });
});
