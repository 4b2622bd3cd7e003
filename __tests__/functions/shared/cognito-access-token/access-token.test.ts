import {
  checkAccessToken,
  issuerOf,
  regionOfUserPool,
  tokenOfHeader,
  UnauthorizedError,
  type GetUserAnswer,
} from '../../../../functions/shared/cognito-access-token/access-token';

const POOL_ID = 'eu-west-2_AbCdEf123';
const ISSUER = `https://cognito-idp.eu-west-2.amazonaws.com/${POOL_ID}`;
const SUB = '4f1c2d3e-0000-4000-8000-000000000001';

/** A token with these claims; its signature is never read here (Cognito's GetUser checks it). */
function token(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part(claims)}.c2lnbmF0dXJl`;
}
const accessToken = (claims: Record<string, unknown> = {}) =>
  token({ iss: ISSUER, token_use: 'access', sub: SUB, username: SUB, client_id: 'web', exp: 4_000_000_000, ...claims });

const USER: GetUserAnswer = {
  Username: SUB,
  UserAttributes: [
    { Name: 'sub', Value: SUB },
    { Name: 'email', Value: 'staff@example.com' },
    { Name: 'email_verified', Value: 'true' },
  ],
};

/** Cognito's error as the SDK throws it: an Error whose name is the exception's. */
function cognitoError(name: string): Error {
  const error = new Error(name === 'NotAuthorizedException' ? 'Access Token has been revoked' : name);
  error.name = name;
  return error;
}

function checker(answer: () => Promise<GetUserAnswer>) {
  const sent: string[] = [];
  return {
    sent,
    check: { issuer: ISSUER, getUser: (accessToken: string) => (sent.push(accessToken), answer()) },
  };
}

describe('checkAccessToken', () => {
  it('lets a current access token of the pool through, with the identity Cognito vouches for', async () => {
    const { check, sent } = checker(async () => USER);
    const valid = accessToken();
    await expect(checkAccessToken(valid, check)).resolves.toEqual({ sub: SUB, email: 'staff@example.com', username: SUB });
    expect(sent).toEqual([valid]);
  });

  it('accepts the token with the Bearer scheme too, and sends Cognito the bare token', async () => {
    const { check, sent } = checker(async () => USER);
    const valid = accessToken();
    await expect(checkAccessToken(`Bearer ${valid}`, check)).resolves.toMatchObject({ sub: SUB });
    await expect(checkAccessToken(`bearer  ${valid}`, check)).resolves.toMatchObject({ sub: SUB });
    expect(sent).toEqual([valid, valid]);
  });

  it.each(['NotAuthorizedException', 'UserNotFoundException'])('refuses a token Cognito refuses (%s: revoked at sign-out, expired, user gone)', async (name) => {
    const { check } = checker(async () => {
      throw cognitoError(name);
    });
    const refusal = checkAccessToken(accessToken(), check);
    await expect(refusal).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(refusal).rejects.toThrow(/^Unauthorized$/);
  });

  it('passes on a failure of Cognito itself (throttling, outage): that is ours, not the caller\'s', async () => {
    const { check } = checker(async () => {
      throw cognitoError('TooManyRequestsException');
    });
    const failure = checkAccessToken(accessToken(), check);
    await expect(failure).rejects.not.toBeInstanceOf(UnauthorizedError);
    await expect(failure).rejects.toThrow('TooManyRequestsException');
  });

  it.each([
    ['another pool of the same region', { iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other9999' }],
    ['the same pool id under another host', { iss: `https://evil.example.com/${POOL_ID}` }],
    ['no issuer', { iss: undefined }],
    ['an ID token', { token_use: 'id' }],
    ['no token use', { token_use: undefined }],
  ])('refuses a token of %s without asking Cognito', async (_case, claims) => {
    const { check, sent } = checker(async () => USER);
    await expect(checkAccessToken(accessToken(claims), check)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(sent).toEqual([]);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['Bearer and nothing', 'Bearer '],
    ['a word', 'letmein'],
    ['two parts', 'abc.def'],
    ['unreadable claims', 'abc.!!!.def'],
    ['claims that are not JSON', `x.${Buffer.from('not json').toString('base64url')}.y`],
    ['claims that are an array', `x.${Buffer.from('[1]').toString('base64url')}.y`],
  ])('refuses %s without asking Cognito', async (_case, header) => {
    const { check, sent } = checker(async () => USER);
    await expect(checkAccessToken(header, check)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(sent).toEqual([]);
  });

  it('refuses a token whose sub is not the user Cognito names', async () => {
    const { check } = checker(async () => USER);
    await expect(checkAccessToken(accessToken({ sub: 'someone-else' }), check)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});

describe('the pool issuer', () => {
  it("is Cognito's regional endpoint and the pool id in AWS, and the local server's address locally", () => {
    expect(issuerOf(POOL_ID)).toBe(ISSUER);
    expect(issuerOf('us-east-1_X1', 'http://127.0.0.1:40123/')).toBe('http://127.0.0.1:40123/us-east-1_X1');
  });

  it('reads the region from the pool id, and refuses what is not one', () => {
    expect(regionOfUserPool('us-gov-west-1_Ab1')).toBe('us-gov-west-1');
    expect(regionOfUserPool(POOL_ID)).toBe('eu-west-2');
    expect(() => regionOfUserPool('AbCdEf123')).toThrow(/not a Cognito user pool id/);
  });

  it('takes the token out of its header', () => {
    expect(tokenOfHeader('Bearer a.b.c')).toBe('a.b.c');
    expect(tokenOfHeader(' a.b.c ')).toBe('a.b.c');
  });
});
