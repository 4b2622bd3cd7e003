import {
  assertSeparatePrefixes,
  decodeS3EventKey,
  errorReportKeyFor,
  isFolderMarker,
  rejectedKeyFor,
  uploadLocationOf,
} from '../../../../functions/inventory/process-inventory-file/upload-location';
import { InvalidEnvironmentVariableError } from '../../../../functions/shared/require-env';
import { encodeS3EventKey, s3EventRecord } from '../../../../local/event-sources/s3-event-record';

describe('decodeS3EventKey', () => {
  it.each([
    ['uploads/my+inventory+file.json', 'uploads/my inventory file.json'],
    ['uploads/a%2Bb.json', 'uploads/a+b.json'],
    ['uploads/inventaire+d%27%C3%A9t%C3%A9.json', "uploads/inventaire d'été.json"],
    ['uploads/%E5%9C%A8%E5%BA%AB+%F0%9F%93%A6.json', 'uploads/在庫 📦.json'],
    ['uploads/100%25+stock%3F.json', 'uploads/100% stock?.json'],
    ['uploads/inventory.json', 'uploads/inventory.json'],
  ])('decodes %s to %s', (encoded, key) => {
    expect(decodeS3EventKey(encoded)).toBe(key);
  });

  it.each(['uploads/a b+c/d%e&f=g#h.json', 'uploads/ünïcödé/日本語 +%2B.json', 'uploads/ leading and trailing .json'])(
    'undoes what S3 does to %j',
    (key) => {
      expect(decodeS3EventKey(encodeS3EventKey(key))).toBe(key);
    },
  );
});

describe('uploadLocationOf', () => {
  const options = { region: 'us-east-1', configurationId: 'invoke-ProcessInventoryFile' };

  it('takes the bucket, the decoded key, the version and the size from a record', () => {
    const record = s3EventRecord(
      {
        bucket: 'inventory-upload',
        key: 'uploads/my file.json',
        size: 120,
        eTag: 'abc',
        versionId: 'v1',
        eventName: 'ObjectCreated:Put',
      },
      options,
    );

    expect(uploadLocationOf(record)).toEqual({
      bucket: 'inventory-upload',
      key: 'uploads/my file.json',
      versionId: 'v1',
      size: 120,
    });
  });

  it('has no version for an unversioned bucket', () => {
    const record = s3EventRecord(
      { bucket: 'inventory-upload', key: 'uploads/x.json', size: 2, eTag: 'abc', eventName: 'ObjectCreated:Put' },
      options,
    );

    expect(uploadLocationOf(record)).toEqual({ bucket: 'inventory-upload', key: 'uploads/x.json', size: 2 });
  });
});

describe('rejectedKeyFor', () => {
  it('keeps the path below the upload prefix, in the rejected copies folder', () => {
    expect(rejectedKeyFor('uploads/a b/x.json', 'uploads/', 'rejected/')).toBe('rejected/files/a b/x.json');
    expect(rejectedKeyFor('uploads/inventory.json', 'uploads/', 'rejected/')).toBe('rejected/files/inventory.json');
  });

  it('refuses a key outside the upload prefix', () => {
    expect(() => rejectedKeyFor('other/x.json', 'uploads/', 'rejected/')).toThrow(
      /not under the upload prefix "uploads\/"/,
    );
  });
});

describe('errorReportKeyFor', () => {
  it('keeps the path below the upload prefix, in the reports folder, with .errors.json appended', () => {
    expect(errorReportKeyFor('uploads/a b/x.json', 'uploads/', 'rejected/')).toBe('rejected/reports/a b/x.json.errors.json');
  });

  it('refuses a key outside the upload prefix', () => {
    expect(() => errorReportKeyFor('other/x.json', 'uploads/', 'rejected/')).toThrow(/not under the upload prefix/);
  });

  it('names no report that is another upload\'s copy or report, even for an upload named like a report', () => {
    const uploads = ['uploads/a.json', 'uploads/a.json.errors.json', 'uploads/files/a.json', 'uploads/reports/a.json', 'uploads/a.json.errors.json.errors.json'];
    const copies = uploads.map((key) => rejectedKeyFor(key, 'uploads/', 'rejected/'));
    const reports = uploads.map((key) => errorReportKeyFor(key, 'uploads/', 'rejected/'));

    expect(new Set([...copies, ...reports]).size).toBe(uploads.length * 2);
  });
});

describe('isFolderMarker', () => {
  it('recognises the empty object the S3 console writes for a folder', () => {
    expect(isFolderMarker('uploads/')).toBe(true);
    expect(isFolderMarker('uploads/store 7/')).toBe(true);
    expect(isFolderMarker('uploads/inventory.json')).toBe(false);
  });
});

describe('assertSeparatePrefixes', () => {
  it('accepts prefixes side by side', () => {
    expect(() => assertSeparatePrefixes('uploads/', 'rejected/')).not.toThrow();
  });

  it.each([
    ['uploads/', 'uploads/rejected/'],
    ['uploads/', 'uploads/'],
    ['uploads/in/', 'uploads/'],
  ])(
    'refuses upload prefix %s with rejected prefix %s: a rejected copy would trigger the function again',
    (upload, rejected) => {
      expect(() => assertSeparatePrefixes(upload, rejected)).toThrow(InvalidEnvironmentVariableError);
      expect(() => assertSeparatePrefixes(upload, rejected)).toThrow(/REJECTED_PREFIX=/);
    },
  );
});
