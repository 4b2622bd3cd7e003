import {
  chooseLinkExpiry,
  CredentialsExpireTooSoonError,
  SIGV4_MAX_EXPIRY_SECONDS,
} from '../../../../functions/report/presign-report-url/link-expiry';

const SIGNED_AT = new Date('2026-03-01T12:00:00Z');

/** Credentials that expire `seconds` after SIGNED_AT. */
function expiringIn(seconds: number): { expiration: Date } {
  return { expiration: new Date(SIGNED_AT.getTime() + seconds * 1000) };
}

describe('the configured life wins', () => {
  it('when the credentials report no expiration', () => {
    expect(chooseLinkExpiry(900, {}, SIGNED_AT)).toEqual({
      expiresInSeconds: 900,
      expiresAt: new Date('2026-03-01T12:15:00Z'),
      limitedBy: 'configuration',
    });
  });

  it('when the credentials outlive it by more than the margin', () => {
    expect(chooseLinkExpiry(900, expiringIn(6 * 3600), SIGNED_AT)).toEqual({
      expiresInSeconds: 900,
      expiresAt: new Date('2026-03-01T12:15:00Z'),
      limitedBy: 'configuration',
    });
  });

  it('when the credentials outlive it by exactly the margin', () => {
    expect(chooseLinkExpiry(900, expiringIn(960), SIGNED_AT)).toMatchObject({
      expiresInSeconds: 900,
      limitedBy: 'configuration',
    });
  });
});

describe('the credentials win when they expire sooner', () => {
  it('ending the link a 60 s margin before they do', () => {
    expect(chooseLinkExpiry(900, expiringIn(300), SIGNED_AT)).toEqual({
      expiresInSeconds: 240,
      expiresAt: new Date('2026-03-01T12:04:00Z'),
      limitedBy: 'credentials',
    });
  });

  it('a second inside the margin', () => {
    expect(chooseLinkExpiry(900, expiringIn(959), SIGNED_AT)).toMatchObject({
      expiresInSeconds: 899,
      limitedBy: 'credentials',
    });
  });

  it('counting whole seconds, never past the credentials', () => {
    const expiration = new Date(SIGNED_AT.getTime() + 300_999);
    expect(chooseLinkExpiry(900, { expiration }, SIGNED_AT).expiresInSeconds).toBe(240);
  });

  it('down to a one-minute link', () => {
    expect(chooseLinkExpiry(900, expiringIn(120), SIGNED_AT)).toMatchObject({
      expiresInSeconds: 60,
      limitedBy: 'credentials',
    });
  });
});

describe('credentials too short-lived for a useful link', () => {
  it.each([119, 60, 1, 0, -30])('refused when they expire in %i s, saying why, and that a retry helps', (seconds) => {
    const attempt = (): unknown => chooseLinkExpiry(900, expiringIn(seconds), SIGNED_AT);
    expect(attempt).toThrow(CredentialsExpireTooSoonError);
    expect(attempt).toThrow(
      new RegExp(
        `expire at ${expiringIn(seconds).expiration.toISOString().replace(/\./g, '\\.')}, in ${seconds} s: .*` +
          'less than the 60 s minimum, so none was signed\\. Retry: the next attempt gets fresh credentials',
      ),
    );
  });

  it('carry an error name the state machine can retry on', () => {
    expect(() => chooseLinkExpiry(900, expiringIn(90), SIGNED_AT)).toThrow(
      expect.objectContaining({ name: 'CredentialsExpireTooSoonError' }),
    );
  });
});

describe("SigV4's 7-day maximum", () => {
  it('caps a longer configured life', () => {
    expect(chooseLinkExpiry(30 * 24 * 3600, {}, SIGNED_AT)).toEqual({
      expiresInSeconds: SIGV4_MAX_EXPIRY_SECONDS,
      expiresAt: new Date('2026-03-08T12:00:00Z'),
      limitedBy: 'configuration',
    });
    expect(SIGV4_MAX_EXPIRY_SECONDS).toBe(604_800);
  });

  it('caps it also under credentials that last longer still', () => {
    expect(chooseLinkExpiry(SIGV4_MAX_EXPIRY_SECONDS + 1, expiringIn(30 * 24 * 3600), SIGNED_AT)).toMatchObject({
      expiresInSeconds: SIGV4_MAX_EXPIRY_SECONDS,
      limitedBy: 'configuration',
    });
  });
});

it.each([0, -5, 1.5, Number.NaN])('refuses a configured life of %p seconds', (seconds) => {
  expect(() => chooseLinkExpiry(seconds, {}, SIGNED_AT)).toThrow(RangeError);
});
