import { rejectionReport } from '../../../../functions/inventory/process-inventory-file/rejection-report';

const rejectedAt = new Date('2025-06-01T12:00:00.000Z');

it('describes the source, the copy, the reason and every listed problem', () => {
  const report = rejectionReport(
    { bucket: 'inventory-upload', key: 'uploads/x.json', versionId: 'v7', size: 10 },
    {
      reason: '1 of 2 products is invalid',
      errorCount: 1,
      errors: [{ index: 1, field: 'price', message: 'price is missing' }],
    },
    { rejectedCopyKey: 'rejected/files/x.json', rejectedAt },
  );

  expect(report).toEqual({
    bucket: 'inventory-upload',
    sourceKey: 'uploads/x.json',
    sourceVersionId: 'v7',
    rejectedCopyKey: 'rejected/files/x.json',
    rejectedAt: '2025-06-01T12:00:00.000Z',
    reason: '1 of 2 products is invalid',
    errorCount: 1,
    errors: [{ index: 1, field: 'price', message: 'price is missing' }],
  });
});

it('leaves out what does not apply: no version, no copy, nothing unlisted', () => {
  const report = rejectionReport(
    { bucket: 'b', key: 'uploads/big.json' },
    { reason: 'The file is too large', errorCount: 1, errors: [{ message: 'too large' }] },
    { rejectedAt },
  );

  expect(Object.keys(report).sort()).toEqual(['bucket', 'errorCount', 'errors', 'reason', 'rejectedAt', 'sourceKey']);
});

it('says how many problems were counted but not listed', () => {
  const report = rejectionReport(
    { bucket: 'b', key: 'uploads/x.json' },
    { reason: '3 of 3 products are invalid', errorCount: 12, errors: [{ index: 0, message: 'name is missing' }] },
    { rejectedCopyKey: 'rejected/files/x.json', rejectedAt },
  );

  expect(report.errorsNotListed).toBe(11);
});
