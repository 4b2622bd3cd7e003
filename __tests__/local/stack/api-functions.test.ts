import { apiFunctions } from '../../../local/stack/api-functions';
import { functionArn, lambdaApiResolver, synthesizeLambdaApi } from '../api-gateway/lambda-api';

describe('apiFunctions', () => {
  it("names each proxy integration's and each Lambda authorizer's function, and what invokes it", () => {
    const stack = synthesizeLambdaApi();

    const found = apiFunctions(stack, lambdaApiResolver(stack));

    expect(found).toEqual(
      expect.arrayContaining([
        { functionArn: functionArn('items'), trigger: 'REST API GET /items/{id} (Lambda proxy)' },
        { functionArn: functionArn('unpermitted'), trigger: 'REST API GET /forbidden (Lambda proxy)' },
        { functionArn: functionArn('users-authorizer'), trigger: 'REST API authorizer users (TOKEN)' },
      ]),
    );
    expect(found.filter((entry) => entry.trigger.includes('(Lambda proxy)'))).toHaveLength(9);
  });

  it('leaves out a uri the resolver cannot resolve', () => {
    const stack = synthesizeLambdaApi();

    expect(apiFunctions(stack, () => {
      throw new Error('unknown');
    })).toEqual([]);
  });
});
