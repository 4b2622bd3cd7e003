import { announcementModeOf } from '../../../../functions/inventory/shared/announcement-mode';
import { InvalidEnvironmentVariableError } from '../../../../functions/shared/require-env';

describe('ANNOUNCEMENTS', () => {
  it("is the seed's per-product announcement when unset or blank", () => {
    expect(announcementModeOf({})).toBe('per-product');
    expect(announcementModeOf({ ANNOUNCEMENTS: ' ' })).toBe('per-product');
  });

  it('takes digest and per-product', () => {
    expect(announcementModeOf({ ANNOUNCEMENTS: 'digest' })).toBe('digest');
    expect(announcementModeOf({ ANNOUNCEMENTS: 'per-product' })).toBe('per-product');
  });

  it('fails the cold start on anything else, naming the variable', () => {
    expect(() => announcementModeOf({ ANNOUNCEMENTS: 'Digest' })).toThrow(InvalidEnvironmentVariableError);
    expect(() => announcementModeOf({ ANNOUNCEMENTS: 'Digest' })).toThrow('ANNOUNCEMENTS="Digest" must be "per-product" or "digest"');
  });
});
