import { reportKeyFor } from '../../../functions/report/shared/report-location';

test('one object per execution, under reports/', () => {
  expect(reportKeyFor('create-report-2026-11-23_abc')).toBe('reports/create-report-2026-11-23_abc.html');
});

test.each([[''], ['a/b'], ['../etc'], ['x'.repeat(81)], [undefined], [42]])('refuses %p as an execution name', (name) => {
  expect(() => reportKeyFor(name as unknown as string)).toThrow(/is not 1-80 letters, digits/);
});
