/**
 * The console's "API Gateway AWS Proxy" template: a request to one of the stack's REST API
 * methods as a Lambda proxy integration receives it, with the API's own stage, path and
 * method.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { readRestApi, type ApiResource } from '../../api-gateway/rest-api-definition';
import { LOCAL_ACCOUNT_ID } from '../../emulators/local-account';
import type { TestEventTemplate } from '../test-event-template';

export const apiGatewayAwsProxyTemplate: TestEventTemplate = {
  name: 'apigateway-aws-proxy',
  description: "a request to the stack's REST API, as a Lambda proxy integration gets it",
  options: ['body'],
  unfit: (stack) => (Object.keys(stack.resources('aws_api_gateway_rest_api')).length === 0 ? 'it has no REST API' : undefined),
  build: ({ stack, names, options, now }): APIGatewayProxyEvent => {
    const api = readRestApi(stack, (value) => names.resolve(value));
    const resource = firstWithMethod(api.root)!;
    const [httpMethod] = resource.methods.keys();
    const path = resource.path.replace(/\{([^}+]+)\+?\}/g, 'example');
    const headers = { 'Content-Type': 'application/json', Host: `${api.apiId}.execute-api.${names.region}.amazonaws.com` };
    return {
      body: options.body ?? '{}',
      resource: resource.path,
      path,
      httpMethod,
      isBase64Encoded: false,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      requestContext: {
        accountId: LOCAL_ACCOUNT_ID,
        apiId: api.apiId,
        authorizer: undefined,
        protocol: 'HTTP/1.1',
        httpMethod,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '127.0.0.1',
          user: null,
          userAgent: 'Custom User Agent String',
          userArn: null,
        },
        path: `/${api.stageName}${path}`,
        stage: api.stageName,
        requestId: randomUUID(),
        requestTimeEpoch: now.getTime(),
        resourceId: resource.id,
        resourcePath: resource.path,
      },
    };
  },
};

function firstWithMethod(resource: ApiResource): ApiResource | undefined {
  if (resource.methods.size > 0) return resource;
  for (const child of resource.children) {
    const found = firstWithMethod(child);
    if (found) return found;
  }
  return undefined;
}
