import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ApiGatewayToLambda } from '../../constructs/api-gateway-to-lambda';
import { LambdaRoute, sourcePathPattern } from '../../constructs/lambda-routes';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { FAKE_ACCOUNT } from '../support/fake-aws';

const REGION = 'us-east-1';
const fn = (name: string) => {
  const arn = `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:${name}`;
  return { functionName: name, arn, invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations` };
};
const ROUTES: LambdaRoute[] = [
  { method: 'GET', path: '/things', function: fn('list-things') },
  { method: 'GET', path: '/things/{thingId}', function: fn('get-thing') },
  { method: 'POST', path: '/things', function: fn('add-thing'), requestModel: { name: 'Thing', schema: { type: 'object' } } },
];

function synthesize(routes: LambdaRoute[] = ROUTES): SynthesizedStack {
  class ApiStack extends TerraformStack {
    constructor(scope: Construct, id: string) {
      super(scope, id);
      new AwsProvider(this, 'aws', { region: REGION });
      new ApiGatewayToLambda(this, 'api', { apiName: 'test-things', routes, authorizer: { tokenFunction: fn('test-authorizer') } });
    }
  }
  return SynthesizedStack.parse(Testing.synth(new ApiStack(Testing.app(), 'things')));
}
const stack = synthesize();

describe('ApiGatewayToLambda', () => {
  it('makes each path segment once, the parameter below its parent', () => {
    const resources = Object.values(stack.resources('aws_api_gateway_resource'));
    expect(resources.map((resource) => resource.path_part).sort()).toEqual(['things', '{thingId}']);
  });

  it('puts every method behind the authorizer, with a Lambda proxy integration', () => {
    const methods = Object.values(stack.resources('aws_api_gateway_method'));
    expect(methods).toHaveLength(3);
    for (const method of methods) expect(method).toMatchObject({ authorization: 'CUSTOM', authorizer_id: expect.stringMatching(/aws_api_gateway_authorizer/) });
    expect(Object.values(stack.resources('aws_api_gateway_integration')).map((integration) => integration.type)).toEqual(['AWS_PROXY', 'AWS_PROXY', 'AWS_PROXY']);
  });

  it('lets the API invoke each function for its method and path only (path parameters as *)', () => {
    expect(sourcePathPattern('/things/{thingId}/parts/{partId}')).toBe('/things/*/parts/*');
    const sourceArns = Object.values(stack.resources('aws_lambda_permission')).map((permission) => [permission.function_name, String(permission.source_arn).replace(/^\$\{[^}]+\}/, '<api>')]);
    expect(sourceArns.sort()).toEqual(
      [
        ['add-thing', '<api>/*/POST/things'],
        ['get-thing', '<api>/*/GET/things/*'],
        ['list-things', '<api>/*/GET/things'],
        ['test-authorizer', `<api>/authorizers/\${aws_api_gateway_authorizer.${Object.keys(stack.resources('aws_api_gateway_authorizer'))[0]}.id}`],
      ].sort(),
    );
  });

  it('validates a body only where the route has a model', () => {
    const methods = Object.values(stack.resources('aws_api_gateway_method'));
    expect(methods.filter((method) => method.request_validator_id !== undefined).map((method) => method.http_method)).toEqual(['POST']);
  });

  it('hashes the routes stably, and a changed route redeploys the stage', () => {
    const triggersOf = (of: SynthesizedStack) => Object.values(of.resources('aws_api_gateway_deployment'))[0].triggers as Record<string, string>;
    expect(triggersOf(synthesize())).toEqual(triggersOf(stack));
    const changed = triggersOf(synthesize([...ROUTES.slice(0, 2), { ...ROUTES[2], method: 'PUT' }]));
    expect(changed.redeployment).not.toBe(triggersOf(stack).redeployment);
    expect(Object.keys(triggersOf(stack)).sort()).toEqual(['authorizerFunctionArn', 'get-things', 'get-things-thingId', 'post-things', 'redeployment']);
  });
});
