import { createPublicKey, verify } from 'node:crypto';
import { LocalUserPool, type VerifyResult } from '../../../local/cognito/local-user-pool';

const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbCdEf123';

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
const reasonOf = (result: VerifyResult) => (result.valid ? 'valid' : result.reason);

describe('LocalUserPool', () => {
  const pool = new LocalUserPool({ pool: POOL_ARN, clientId: 'client-1' });

  it('issues an RS256 ID token shaped like Cognito\'s, which it verifies', async () => {
    const token = await pool.issueIdToken({ email: 'ana@example.com', sub: 'sub-1' });
    const [header, payload] = token.split('.');

    expect(decode(header)).toEqual({ kid: pool.keyId, alg: 'RS256' });
    const claims = decode(payload);
    expect(claims).toMatchObject({
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      aud: 'client-1',
      token_use: 'id',
      email: 'ana@example.com',
      sub: 'sub-1',
    });
    expect(claims.exp).toBe((claims.iat as number) + 3600);
    expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(await pool.verify(token)).toEqual({ valid: true, claims });
  });

  it('publishes its public key, with which the signature checks out', async () => {
    const token = await pool.issueIdToken({ email: 'ana@example.com' });
    const [header, payload, signature] = token.split('.');
    const [jwk] = pool.jwks().keys;

    expect(jwk).toMatchObject({ kty: 'RSA', kid: pool.keyId, alg: 'RS256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('knows its region and id from a pool id too', async () => {
    const byId = new LocalUserPool({ pool: 'us-east-1_XyZ987' });
    expect(byId).toMatchObject({ poolId: 'us-east-1_XyZ987', region: 'us-east-1', arn: undefined, clientId: 'local-app-client' });
    expect((await byId.verify(await byId.issueIdToken({ email: 'a@b.c' }))).valid).toBe(true);
    expect(() => new LocalUserPool({ pool: 'not-a-pool' })).toThrow(/neither a user pool ARN/);
  });

  it('refuses a token of another pool, even one of the same ARN (another key)', async () => {
    const other = new LocalUserPool({ pool: POOL_ARN, clientId: 'client-1' });

    expect(reasonOf(await pool.verify(await other.issueIdToken({ email: 'ana@example.com' })))).toMatch(/^kid .* is not a key of eu-west-1_AbCdEf123/);
  });

  it('refuses a token signed by another key under its own kid, and a tampered one', async () => {
    const other = new LocalUserPool({ pool: POOL_ARN, clientId: 'client-1' });
    const [, payload, signature] = (await other.issueIdToken({ email: 'ana@example.com' })).split('.');
    const ownHeader = (await pool.issueIdToken({ email: 'x@example.com' })).split('.')[0];
    const [header, ownPayload, ownSignature] = (await pool.issueIdToken({ email: 'ana@example.com' })).split('.');
    const tampered = Buffer.from(JSON.stringify({ ...decode(ownPayload), email: 'admin@example.com' })).toString('base64url');

    expect(reasonOf(await pool.verify(`${ownHeader}.${payload}.${signature}`))).toBe('the signature does not match');
    expect(reasonOf(await pool.verify(`${header}.${tampered}.${ownSignature}`))).toBe('the signature does not match');
  });

  it('refuses an expired token', async () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const clocked = new LocalUserPool({ pool: POOL_ARN, now: () => now });
    const token = await clocked.issueIdToken({ email: 'ana@example.com', expiresInSeconds: 60 });

    expect((await clocked.verify(token)).valid).toBe(true);
    now += 60_000;
    expect(reasonOf(await clocked.verify(token))).toBe('the token expired at 2026-11-23T10:01:00.000Z');
    expect(reasonOf(await pool.verify(await pool.issueIdToken({ email: 'ana@example.com', expiresInSeconds: -1 })))).toMatch(/^the token expired at /);
  });

  it.each([
    ['another issuer', { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }, /^iss .* is not https:\/\/cognito-idp/],
    ['an access token', { token_use: 'access' }, /^token_use "access" is not id$/],
    ['another app client', { aud: 'client-2' }, /^aud "client-2" is not an app client/],
    ['no sub', { sub: '' }, /has no sub/],
    ['an exp that is not a number', { exp: 'tomorrow' }, /exp or iat is not a number/],
  ])('refuses a token, correctly signed, with %s', async (_case, claims, reason) => {
    expect(reasonOf(await pool.verify(await pool.issueIdToken({ email: 'ana@example.com', claims })))).toMatch(reason);
  });

  it.each([
    ['an empty string', ''],
    ['two parts', 'a.b'],
    ['not base64url', 'a.b+.c'],
    ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.c2ln`],
  ])('refuses %s', async (_case, token) => {
    expect((await pool.verify(token)).valid).toBe(false);
  });

  it('refuses alg none and HS256, whatever the signature', async () => {
    const [, payload, signature] = (await pool.issueIdToken({ email: 'ana@example.com' })).split('.');
    for (const alg of ['none', 'HS256']) {
      const header = Buffer.from(JSON.stringify({ kid: pool.keyId, alg })).toString('base64url');
      expect(reasonOf(await pool.verify(`${header}.${payload}.${signature}`))).toBe(`alg "${alg}" is not RS256`);
    }
  });
});
