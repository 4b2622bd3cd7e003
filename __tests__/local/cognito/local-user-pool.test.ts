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

describe('LocalUserPool users, app clients and sessions', () => {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const pool = new LocalUserPool({
    pool: POOL_ARN,
    now: () => now,
    passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
  });
  pool.registerClient({ clientId: 'web', callbackUrls: ['http://localhost:8080/callback'], allowedScopes: ['openid', 'email', 'aws.cognito.signin.user.admin'], accessTokenValiditySeconds: 300 });
  const ana = pool.createUser('Ana@Example.com', 'Correct-horse-9');
  const ben = pool.createUser('ben@example.com');

  it('creates users with a given password or a random one that meets the policy, and signs them in by email', () => {
    expect(ana).toEqual({ username: ana.sub, sub: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'ana@example.com', password: 'Correct-horse-9' });
    expect(ben.password).toHaveLength(20);
    expect(pool.authenticate('ANA@example.com', 'Correct-horse-9')).toEqual({ username: ana.sub, sub: ana.sub, email: 'ana@example.com' });
    expect(pool.authenticate('ben@example.com', ben.password)?.sub).toBe(ben.sub);
    expect(pool.authenticate('ana@example.com', 'correct-horse-9')).toBeUndefined();
    expect(pool.authenticate('nobody@example.com', 'Correct-horse-9')).toBeUndefined();
  });

  it("refuses a taken email and a password outside the pool's policy", () => {
    expect(() => pool.createUser('ana@example.com')).toThrow('UsernameExistsException');
    expect(() => pool.createUser('cai@example.com', 'password')).toThrow(/^InvalidPasswordException: Password did not conform with policy: Password not long enough/);
    expect(() => pool.createUser('not an email')).toThrow('InvalidParameterException');
  });

  it("issues access tokens shaped like Cognito's: client_id, scope, username, origin_jti, jti, no aud", async () => {
    const tokens = await pool.signIn(ana, 'web', ['openid', 'email', 'aws.cognito.signin.user.admin'], { nonce: 'n-1' });
    const access = decode(tokens.accessToken.split('.')[1]);
    const id = decode(tokens.idToken!.split('.')[1]);

    expect(access).toEqual({
      sub: ana.sub,
      iss: pool.issuer,
      version: 2,
      client_id: 'web',
      origin_jti: expect.any(String),
      token_use: 'access',
      scope: 'openid email aws.cognito.signin.user.admin',
      auth_time: access.iat,
      exp: (access.iat as number) + 300,
      iat: Math.floor(now / 1000),
      jti: expect.any(String),
      username: ana.sub,
    });
    expect(id).toMatchObject({ aud: 'web', token_use: 'id', origin_jti: access.origin_jti, nonce: 'n-1', email: 'ana@example.com', at_hash: expect.any(String) });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(tokens.expiresIn).toBe(300);
    const checked = await pool.verifyAccessToken(tokens.accessToken);
    expect(checked).toMatchObject({ valid: true, user: { sub: ana.sub } });
    expect((await pool.verify(tokens.idToken!)).valid).toBe(true);
  });

  it('issues no ID token without the openid scope', async () => {
    const tokens = await pool.signIn(ana, 'web', ['aws.cognito.signin.user.admin']);
    expect(tokens.idToken).toBeUndefined();
  });

  it('revokes by origin_jti: the access tokens of that sign-in, refreshed ones included, and nothing else', async () => {
    const first = await pool.signIn(ana, 'web', ['openid']);
    const second = await pool.signIn(ana, 'web', ['openid']);
    const refreshed = await pool.refresh(first.refreshToken!, 'web');
    if (!('tokens' in refreshed)) throw new Error(refreshed.reason);

    expect(pool.revokeRefreshToken(first.refreshToken!, 'other')).toBe('other-client');
    expect(pool.revokeRefreshToken(first.refreshToken!, 'web')).toBe('revoked');
    expect(pool.revokeRefreshToken('never-issued', 'web')).toBe('unknown');

    for (const token of [first.accessToken, refreshed.tokens.accessToken]) {
      expect(await pool.verifyAccessToken(token)).toMatchObject({ valid: false, refusal: 'revoked' });
    }
    expect(await pool.refresh(first.refreshToken!, 'web')).toEqual({ error: 'invalid_grant', reason: 'the refresh token has been revoked' });
    expect((await pool.verifyAccessToken(second.accessToken)).valid).toBe(true);
  });

  it('refuses expired access and refresh tokens, and tokens of the wrong use', async () => {
    const tokens = await pool.signIn(ben, 'web', ['openid']);
    expect(await pool.verifyAccessToken(tokens.idToken!)).toMatchObject({ valid: false, refusal: 'invalid', reason: 'token_use "id" is not access' });
    expect(await pool.verifyAccessToken(await pool.issueAccessToken({ sub: ben.sub, clientId: 'nope' }))).toMatchObject({ valid: false, refusal: 'invalid' });
    expect(await pool.verifyAccessToken(await pool.issueAccessToken({ sub: 'someone-else' }))).toMatchObject({ valid: false, refusal: 'unknown-user' });

    now += 300_000;
    expect(await pool.verifyAccessToken(tokens.accessToken)).toMatchObject({ valid: false, refusal: 'expired' });
    now += 30 * 24 * 3600 * 1000;
    expect(await pool.refresh(tokens.refreshToken!, 'web')).toMatchObject({ error: 'invalid_grant', reason: expect.stringMatching(/^the refresh token expired at /) });
  });

  it('moves its issuer to the local server that serves it, refusing tokens of the old one', async () => {
    const served = new LocalUserPool({ pool: 'us-east-1_Served' });
    const before = await served.issueIdToken({ email: 'a@b.c' });

    expect(served.serveIssuerAt('http://127.0.0.1:4567/')).toBe('http://127.0.0.1:4567/us-east-1_Served');
    expect(served.awsIssuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Served');
    expect(reasonOf(await served.verify(before))).toMatch(/^iss .* is not http:\/\/127.0.0.1:4567\/us-east-1_Served$/);
    expect((await served.verify(await served.issueIdToken({ email: 'a@b.c' }))).valid).toBe(true);
  });
});
