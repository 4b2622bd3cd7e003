import { arnLike, methodArn, pathAfterStage, wildcardMatch } from '../../../local/api-gateway/execute-api-arn';

const API = { partition: 'aws', region: 'us-east-1', accountId: '111122223333', apiId: 'abcde12345', stageName: 'v1' };

describe('execute-api ARNs', () => {
  it('names a method by the path the client asked for', () => {
    expect(methodArn(API, 'GET', '/uploads/u-1')).toBe('arn:aws:execute-api:us-east-1:111122223333:abcde12345/v1/GET/uploads/u-1');
    expect(methodArn(API, 'POST', '/')).toBe('arn:aws:execute-api:us-east-1:111122223333:abcde12345/v1/POST/');
    expect(pathAfterStage('/v1/uploads/u-1', 'v1')).toBe('/uploads/u-1');
    expect(pathAfterStage('/v1', 'v1')).toBe('/');
  });

  it.each([
    ['arn:aws:execute-api:us-east-1:111122223333:abcde12345/*', true],
    ['arn:aws:execute-api:us-east-1:111122223333:abcde12345/*/GET/uploads/*', true],
    ['arn:aws:execute-api:*:*:abcde12345/v1/GET/uploads/u-?', true],
    ['arn:aws:execute-api:us-east-1:111122223333:abcde12345/*/POST/uploads/*', false],
    // A path parameter written as in the resource path does not match a request's value, as in AWS.
    ['arn:aws:execute-api:us-east-1:111122223333:abcde12345/*/GET/uploads/{uploadId}', false],
    ['arn:aws:execute-api:us-east-1:444455556666:abcde12345/*', false],
    // ArnLike compares part by part: a pattern of five parts (its `*` cannot stand for region and account) matches nothing.
    ['arn:aws:execute-api:*:abcde12345/*', false],
  ])('ArnLike %s is %s for GET /uploads/u-1', (pattern, expected) => {
    expect(arnLike(pattern, methodArn(API, 'GET', '/uploads/u-1'))).toBe(expected);
  });

  it('matches * across slashes and ? as one character, literally otherwise', () => {
    expect(wildcardMatch('a*c', 'a/b/c')).toBe(true);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
    expect(wildcardMatch('execute-api:invoke', 'execute-api:Invoke')).toBe(false);
    expect(wildcardMatch('execute-api:invoke', 'execute-api:Invoke', { ignoreCase: true })).toBe(true);
  });
});
