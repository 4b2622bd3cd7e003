import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { ApiAuthorizer, AuthorizerFunction } from './rest-api';

/** One method of the API answered by a function through a Lambda proxy integration. */
export interface LambdaRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The resource path, e.g. `/uploads/{uploadId}`; `{name}` segments are path parameters. */
  readonly path: string;
  /** The function answering it (a NodejsFunction's `function`). */
  readonly function: AuthorizerFunction;
  /**
   * A JSON schema (draft-04) the body must satisfy; others get the API's 400 and never reach
   * the function, which checks the body again. @default none: the function alone checks it
   */
  readonly requestModel?: { readonly name: string; readonly schema: object };
}

export interface LambdaRoutes {
  /** What the deployment snapshots: every resource, method, integration and permission. */
  readonly dependables: ITerraformDependable[];
  /** What each route is, for the deployment's fingerprint (known at synth). */
  readonly fingerprinted: object[];
  /** The functions' ARNs, known after apply: a replaced function needs a new deployment. */
  readonly triggers: Record<string, string>;
  readonly methods: ApiGatewayMethod[];
}

/** `/uploads/{uploadId}` -> `uploads-uploadId`: a construct id and trigger name for the path. */
export function pathSlug(path: string): string {
  return path.replace(/[{}]/g, '').split('/').filter(Boolean).join('-') || 'root';
}

/**
 * The path as API Gateway names it in the `execute-api` ARN it invokes a function with:
 * each path parameter is the caller's value there, so it becomes a `*`.
 */
export function sourcePathPattern(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

/**
 * Adds each route to the API, in the caller's scope (as the other rest-api functions do, so
 * Terraform names stay put): the resources of its path, the method behind the authorizer,
 * its Lambda proxy integration, and a permission letting this API invoke the function for
 * this method and path only.
 */
export function addLambdaRoutes(scope: Construct, api: ApiGatewayRestApi, routes: LambdaRoute[], authorizer?: ApiAuthorizer): LambdaRoutes {
  const resources = new Map<string, string>([['', api.rootResourceId]]);
  const dependables: ITerraformDependable[] = [];
  const resourceIdOf = (path: string): string => {
    const segments = path.split('/').filter(Boolean);
    let parentPath = '';
    for (const segment of segments) {
      const childPath = `${parentPath}/${segment}`;
      if (!resources.has(childPath)) {
        const resource = new ApiGatewayResource(scope, `resource-${pathSlug(childPath)}`, {
          restApiId: api.id,
          parentId: resources.get(parentPath)!,
          pathPart: segment,
        });
        resources.set(childPath, resource.id);
        dependables.push(resource);
      }
      parentPath = childPath;
    }
    return resources.get(parentPath)!;
  };
  const validator = routes.some((route) => route.requestModel)
    ? new ApiGatewayRequestValidator(scope, 'route-validator', { restApiId: api.id, name: 'validate-route-body', validateRequestBody: true, validateRequestParameters: false })
    : undefined;

  const methods = routes.map((route) => {
    const id = `${route.method.toLowerCase()}-${pathSlug(route.path)}`;
    const model = route.requestModel && new ApiGatewayModel(scope, `${id}-model`, {
      restApiId: api.id,
      name: route.requestModel.name,
      contentType: 'application/json',
      schema: JSON.stringify(route.requestModel.schema),
    });
    const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const method = new ApiGatewayMethod(scope, id, {
      restApiId: api.id,
      resourceId: resourceIdOf(route.path),
      httpMethod: route.method,
      authorization: authorizer?.authorization ?? 'NONE',
      authorizerId: authorizer?.resource.id,
      requestParameters: pathParameters.length > 0 ? Object.fromEntries(pathParameters.map((name) => [`method.request.path.${name}`, true])) : undefined,
      ...(model && validator ? { requestValidatorId: validator.id, requestModels: { 'application/json': model.name } } : {}),
    });
    const integration = new ApiGatewayIntegration(scope, `${id}-integration`, {
      restApiId: api.id,
      resourceId: method.resourceId,
      httpMethod: method.httpMethod,
      type: 'AWS_PROXY',
      // Lambda's Invoke API is always POST, whatever the caller's method.
      integrationHttpMethod: 'POST',
      uri: route.function.invokeArn,
    });
    const permission = new LambdaPermission(scope, `${id}-permission`, {
      statementId: `AllowApiGateway-${route.method}-${pathSlug(route.path)}`,
      action: 'lambda:InvokeFunction',
      functionName: route.function.functionName,
      principal: 'apigateway.amazonaws.com',
      // Any stage of this API, this method and path only.
      sourceArn: `${api.executionArn}/*/${route.method}${sourcePathPattern(route.path)}`,
    });
    dependables.push(method, integration, permission);
    return method;
  });

  return {
    dependables,
    methods,
    fingerprinted: routes.map((route) => ({ method: route.method, path: route.path, model: route.requestModel ?? null })),
    triggers: Object.fromEntries(routes.map((route) => [`${route.method.toLowerCase()}-${pathSlug(route.path)}`, route.function.arn])),
  };
}
