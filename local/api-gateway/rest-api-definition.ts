import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../emulators/local-account';
import type { ResourceConfig, SynthesizedStack } from '../stack/synthesized-stack';
import { block, optionalValue, References, stringList, stringMap } from './api-gateway-references';
import type { GatewayResponseConfig } from './gateway-responses';
import { limitsFromSettings, type ThrottleLimits } from './throttle';

/**
 * One REST API (API Gateway v1) and one of its stages, read from a synthesized stack:
 * the aws_api_gateway_* resources that belong to it, joined by their references, with
 * every other reference resolved to its local value. This is everything the local
 * server serves; it knows nothing of a particular stack.
 */
export interface RestApiDefinition {
  /** Terraform name of the aws_api_gateway_rest_api. */
  readonly terraformName: string;
  /** The API's `name`, e.g. dev-POC-API. */
  readonly name: string;
  /** `$context.apiId`. */
  readonly apiId: string;
  readonly stageName: string;
  /** From the API's execution ARN when the resolver knows it, else the stack's region and the local account. */
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The stage's variables (aws_api_gateway_stage.variables). */
  readonly stageVariables: Readonly<Record<string, string>>;
  /** The API's binary_media_types, e.g. `image/png` or `*\/*`. */
  readonly binaryMediaTypes: readonly string[];
  readonly root: ApiResource;
  /** Gateway responses by response type. */
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponseConfig>;
  /** The stage's access-log format, when it has access logging. */
  readonly accessLogFormat?: string;
}

export interface ApiResource {
  /** `$context.resourceId` (a local stand-in for API Gateway's id). */
  readonly id: string;
  /** `$context.resourcePath`, e.g. `/` or `/orders/{id}`. */
  readonly path: string;
  /** The last path segment, e.g. `orders`, `{id}` or `{proxy+}`; empty for the root. */
  readonly pathPart: string;
  readonly children: ApiResource[];
  /** By HTTP method (upper case), including ANY. */
  readonly methods: Map<string, ApiMethod>;
}

export interface ApiMethod {
  readonly httpMethod: string;
  /** NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS. */
  readonly authorization: string;
  readonly apiKeyRequired: boolean;
  /** The method's aws_api_gateway_authorizer, when it names one (authorizer_id). */
  readonly authorizer?: ApiAuthorizer;
  /** OAuth scopes the method requires of an access token (authorization_scopes); empty when none. */
  readonly authorizationScopes: readonly string[];
  /** Content type -> JSON schema of the model, for body validation; empty when the body is not validated. */
  readonly bodyModels: ReadonlyMap<string, { readonly name: string; readonly schema: object }>;
  /** `method.request.<where>.<name>` the validator requires, when it validates parameters. */
  readonly requiredParameters: readonly string[];
  readonly integration?: ApiIntegration;
  /** Throttling from the stage's method settings, if any applies. */
  readonly throttle?: ThrottleLimits;
}

export interface ApiAuthorizer {
  /** Terraform name of the aws_api_gateway_authorizer. */
  readonly terraformName: string;
  /** Its id, as in its ARN `.../authorizers/<id>`. */
  readonly id: string;
  readonly name: string;
  /** TOKEN (the default), REQUEST or COGNITO_USER_POOLS. */
  readonly type: string;
  /** For COGNITO_USER_POOLS: the user pools' ARNs, with every reference resolved. */
  readonly providerArns: readonly string[];
  /** e.g. `method.request.header.Authorization` (the default). */
  readonly identitySource: string;
  /** A regex the token must match, else 401 without checking it. */
  readonly identityValidationExpression?: string;
  /** For TOKEN and REQUEST: the Lambda invoke URI (authorizer_uri), with every reference resolved. */
  readonly uri?: string;
  /** The role API Gateway assumes to invoke the function (authorizer_credentials); without one, the function's permission applies. */
  readonly credentials?: string;
  /** How long an answer is cached per token (authorizer_result_ttl_in_seconds; Terraform's default 300); 0 = never. */
  readonly resultTtlSeconds: number;
}

export interface ApiIntegration {
  /** AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK. */
  readonly type: string;
  /** With every reference resolved. */
  readonly uri?: string;
  readonly httpMethod?: string;
  /** WHEN_NO_MATCH (the default), WHEN_NO_TEMPLATES or NEVER. */
  readonly passthroughBehavior: string;
  /** Content type (lower case) -> template. */
  readonly requestTemplates: Readonly<Record<string, string>>;
  /** `integration.request.<where>.<name>` -> source expression. */
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** The role API Gateway assumes to call the integration; for a Lambda integration without one, the function's permission applies. */
  readonly credentials?: string;
  readonly responses: readonly ApiIntegrationResponse[];
}

export interface ApiIntegrationResponse {
  readonly statusCode: number;
  /** As configured (a Java regex); undefined for the default response. */
  readonly selectionPattern?: string;
  /** Anchored: API Gateway matches the whole status code. */
  readonly selects?: RegExp;
  /** Content type -> template. */
  readonly templates: Readonly<Record<string, string>>;
  /** `method.response.header.<name>` -> source expression. */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface ReadRestApiOptions {
  /** Terraform name of the API, when the stack has several. */
  readonly restApi?: string;
  /** Stage name, when the API has several stages. */
  readonly stage?: string;
}

/** API Gateway's built-in models, which every API has without declaring them. */
const BUILT_IN_MODELS: Record<string, object> = {
  Empty: { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Empty Schema', type: 'object' },
  Error: {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: 'Error Schema',
    type: 'object',
    properties: { message: { type: 'string' } },
  },
};

const DEFAULT_TIMEOUT_MS = 29_000;
/** Terraform's default authorizer_result_ttl_in_seconds. */
const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

/**
 * Reads the REST API `options.restApi` (or the stack's only one) and its stage.
 *
 * @param resolve resolves a `${...}` reference to anything outside API Gateway (a queue's
 *   ARN, a state machine's ARN) to its local value
 * @throws Error naming what is missing or ambiguous, or a reference that cannot be resolved
 */
export function readRestApi(stack: SynthesizedStack, resolve: (value: string) => string, options: ReadRestApiOptions = {}): RestApiDefinition {
  const references = new References(stack, resolve);
  const apis = stack.resources('aws_api_gateway_rest_api');
  const terraformName = chooseRestApi(Object.keys(apis), options.restApi);
  const api = apis[terraformName];
  const apiIdentity = `aws_api_gateway_rest_api.${terraformName}.id`;
  const ofApi = (type: string): [string, ResourceConfig][] =>
    Object.entries(stack.resources(type)).filter(([, config]) => references.identity(config.rest_api_id) === apiIdentity);
  const describe = (type: string, name: string) => `${type}.${name}`;

  if (api.body !== undefined) {
    throw new Error(`aws_api_gateway_rest_api.${terraformName} is defined by an OpenAPI body, which the local server does not read; define it with aws_api_gateway_* resources`);
  }

  // Stage.
  const stages = ofApi('aws_api_gateway_stage').map(([name, config]) => ({ name, config, stageName: references.value(config.stage_name) }));
  if (stages.length === 0) throw new Error(`aws_api_gateway_rest_api.${terraformName} has no aws_api_gateway_stage to serve`);
  const stage = options.stage === undefined ? stages[0] : stages.find((s) => s.stageName === options.stage);
  if (!stage) throw new Error(`aws_api_gateway_rest_api.${terraformName} has no stage named ${options.stage}; it has ${stages.map((s) => s.stageName).join(', ')}`);
  if (options.stage === undefined && stages.length > 1) {
    throw new Error(`aws_api_gateway_rest_api.${terraformName} has several stages (${stages.map((s) => s.stageName).join(', ')}): say which to serve`);
  }
  const accessLog = block(stage.config.access_log_settings);
  const accessLogFormat = typeof accessLog?.format === 'string' ? references.value(accessLog.format) : undefined;

  // Resource tree.
  const rootIdentity = `aws_api_gateway_rest_api.${terraformName}.root_resource_id`;
  const root: ApiResource = { id: localId(rootIdentity), path: '/', pathPart: '', children: [], methods: new Map() };
  const byIdentity = new Map<string, ApiResource>([[rootIdentity, root]]);
  const pending = ofApi('aws_api_gateway_resource').map(([name, config]) => ({
    identity: `aws_api_gateway_resource.${name}.id`,
    parent: references.identity(config.parent_id),
    pathPart: references.value(config.path_part),
  }));
  while (pending.length > 0) {
    const ready = pending.findIndex((resource) => byIdentity.has(resource.parent));
    if (ready < 0) {
      throw new Error(`Cannot place ${pending.map((r) => r.identity).join(', ')} in the resource tree of ${terraformName}: unknown parent ${pending[0].parent}`);
    }
    const [resource] = pending.splice(ready, 1);
    const parent = byIdentity.get(resource.parent) as ApiResource;
    const node: ApiResource = {
      id: localId(resource.identity),
      path: `${parent.path === '/' ? '' : parent.path}/${resource.pathPart}`,
      pathPart: resource.pathPart,
      children: [],
      methods: new Map(),
    };
    parent.children.push(node);
    byIdentity.set(resource.identity, node);
  }
  const resourceOf = (type: string, name: string, config: ResourceConfig): ApiResource => {
    const node = byIdentity.get(references.identity(config.resource_id));
    if (!node) throw new Error(`${describe(type, name)}: resource_id ${String(config.resource_id)} is not a resource of ${terraformName}`);
    return node;
  };

  // Models and validators.
  const models = new Map<string, object>(Object.entries(BUILT_IN_MODELS));
  for (const [name, config] of ofApi('aws_api_gateway_model')) {
    try {
      models.set(references.value(config.name), JSON.parse(references.value(config.schema)) as object);
    } catch (error) {
      throw new Error(`${describe('aws_api_gateway_model', name)}: the schema is not JSON (${(error as Error).message})`);
    }
  }
  const validators = new Map(
    ofApi('aws_api_gateway_request_validator').map(([name, config]) => [
      `aws_api_gateway_request_validator.${name}.id`,
      { body: config.validate_request_body === true, parameters: config.validate_request_parameters === true },
    ]),
  );

  // Method settings of the stage: `*/*` for every method, `<path>/<METHOD>` for one.
  const methodSettings = ofApi('aws_api_gateway_method_settings')
    .filter(([, config]) => references.value(config.stage_name) === stage.stageName)
    .map(([, config]) => ({ methodPath: references.value(config.method_path), limits: limitsFromSettings(block(config.settings)) }));
  const throttleFor = (resourcePath: string, httpMethod: string): ThrottleLimits | undefined => {
    const paths = methodPathsOf(resourcePath, httpMethod);
    const specific = methodSettings.find((s) => s.limits && paths.includes(s.methodPath));
    return (specific ?? methodSettings.find((s) => s.limits && s.methodPath === '*/*'))?.limits;
  };

  // Integrations and their responses, by resource and method.
  const key = (type: string, name: string, config: ResourceConfig) => `${resourceOf(type, name, config).id} ${references.value(config.http_method).toUpperCase()}`;
  const integrationResponses = new Map<string, ApiIntegrationResponse[]>();
  for (const [name, config] of ofApi('aws_api_gateway_integration_response')) {
    const type = 'aws_api_gateway_integration_response';
    const selectionPattern = optionalValue(references, config.selection_pattern);
    const statusCode = Number(references.value(config.status_code));
    if (!Number.isInteger(statusCode)) throw new Error(`${describe(type, name)}: status_code is not a number`);
    const response: ApiIntegrationResponse = {
      statusCode,
      selectionPattern,
      selects: selectionPattern === undefined || selectionPattern === '' ? undefined : javaFullMatch(selectionPattern, describe(type, name)),
      templates: stringMap(references, config.response_templates),
      parameters: stringMap(references, config.response_parameters),
    };
    const responseKey = key(type, name, config);
    integrationResponses.set(responseKey, [...(integrationResponses.get(responseKey) ?? []), response]);
  }
  const integrations = new Map<string, ApiIntegration>();
  for (const [name, config] of ofApi('aws_api_gateway_integration')) {
    const type = 'aws_api_gateway_integration';
    const integrationKey = key(type, name, config);
    integrations.set(integrationKey, {
      type: references.value(config.type),
      uri: optionalValue(references, config.uri),
      httpMethod: optionalValue(references, config.integration_http_method),
      passthroughBehavior: optionalValue(references, config.passthrough_behavior) ?? 'WHEN_NO_MATCH',
      requestTemplates: Object.fromEntries(Object.entries(stringMap(references, config.request_templates)).map(([k, v]) => [k.toLowerCase(), v])),
      requestParameters: stringMap(references, config.request_parameters),
      timeoutMs: Number(optionalValue(references, config.timeout_milliseconds) ?? DEFAULT_TIMEOUT_MS),
      credentials: optionalValue(references, config.credentials),
      responses: integrationResponses.get(integrationKey) ?? [],
    });
  }

  const authorizers = new Map<string, ApiAuthorizer>(
    ofApi('aws_api_gateway_authorizer').map(([name, config]) => [
      `aws_api_gateway_authorizer.${name}.id`,
      {
        terraformName: name,
        id: references.optionalExternal(`\${aws_api_gateway_authorizer.${name}.id}`) ?? localId(`aws_api_gateway_authorizer.${name}.id`),
        name: references.value(config.name),
        type: (optionalValue(references, config.type) ?? 'TOKEN').toUpperCase(),
        // Leniently: a pool the resolver does not know keeps its reference, matches no local
        // pool, and its methods answer 500 rather than the whole API failing to start.
        providerArns: stringList(references, config.provider_arns, { lenient: true }),
        identitySource: optionalValue(references, config.identity_source) ?? 'method.request.header.Authorization',
        identityValidationExpression: optionalValue(references, config.identity_validation_expression),
        // Leniently, as the pools: a function the resolver does not know answers 500 for its methods.
        uri: config.authorizer_uri === undefined || config.authorizer_uri === null ? undefined : stringList(references, config.authorizer_uri, { lenient: true })[0],
        credentials: optionalValue(references, config.authorizer_credentials),
        resultTtlSeconds: Number(optionalValue(references, config.authorizer_result_ttl_in_seconds) ?? DEFAULT_AUTHORIZER_TTL_SECONDS),
      },
    ]),
  );

  for (const [name, config] of ofApi('aws_api_gateway_method')) {
    const type = 'aws_api_gateway_method';
    const resource = resourceOf(type, name, config);
    const httpMethod = references.value(config.http_method).toUpperCase();
    const validatorId = config.request_validator_id === undefined ? undefined : references.identity(config.request_validator_id);
    const validator = validatorId === undefined ? undefined : validators.get(validatorId);
    if (validatorId !== undefined && !validator) throw new Error(`${describe(type, name)}: request_validator_id ${validatorId} is not a validator of ${terraformName}`);
    const authorizerId = config.authorizer_id === undefined || config.authorizer_id === null ? undefined : references.identity(config.authorizer_id);
    const authorizer = authorizerId === undefined ? undefined : authorizers.get(authorizerId);
    if (authorizerId !== undefined && !authorizer) throw new Error(`${describe(type, name)}: authorizer_id ${authorizerId} is not an authorizer of ${terraformName}`);
    const bodyModels = new Map<string, { name: string; schema: object }>();
    if (validator?.body) {
      for (const [contentType, modelName] of Object.entries(stringMap(references, config.request_models))) {
        const schema = models.get(modelName);
        if (!schema) throw new Error(`${describe(type, name)}: request model ${modelName} is not a model of ${terraformName}`);
        bodyModels.set(contentType.toLowerCase(), { name: modelName, schema });
      }
    }
    const parameters = (config.request_parameters ?? {}) as Record<string, unknown>;
    resource.methods.set(httpMethod, {
      httpMethod,
      authorization: references.value(config.authorization ?? 'NONE').toUpperCase(),
      apiKeyRequired: config.api_key_required === true,
      authorizer,
      authorizationScopes: stringList(references, config.authorization_scopes),
      bodyModels,
      requiredParameters: validator?.parameters ? Object.keys(parameters).filter((p) => parameters[p] === true || parameters[p] === 'true') : [],
      integration: integrations.get(`${resource.id} ${httpMethod}`),
      throttle: throttleFor(resource.path, httpMethod),
    });
  }

  const gatewayResponses = new Map<string, GatewayResponseConfig>(
    ofApi('aws_api_gateway_gateway_response').map(([, config]) => {
      const statusCode = optionalValue(references, config.status_code);
      return [
        references.value(config.response_type),
        {
          statusCode: statusCode === undefined ? undefined : Number(statusCode),
          templates: stringMap(references, config.response_templates),
          parameters: stringMap(references, config.response_parameters),
        },
      ];
    }),
  );

  const apiId = references.optionalExternal(`\${aws_api_gateway_rest_api.${terraformName}.id}`) ?? localId(apiIdentity);
  const executionArn = references.optionalExternal(`\${aws_api_gateway_rest_api.${terraformName}.execution_arn}`);
  const [, partition, region, accountId] = /^arn:([^:]+):execute-api:([^:]+):([^:]+):/.exec(executionArn ?? '') ?? [];
  return {
    terraformName,
    name: references.value(api.name),
    apiId,
    stageName: stage.stageName,
    partition: partition ?? 'aws',
    region: region ?? stack.region,
    accountId: accountId ?? LOCAL_ACCOUNT_ID,
    stageVariables: stringMap(references, stage.config.variables),
    binaryMediaTypes: stringList(references, api.binary_media_types),
    root,
    gatewayResponses,
    accessLogFormat,
  };
}

function chooseRestApi(names: readonly string[], wanted: string | undefined): string {
  if (wanted !== undefined) {
    if (!names.includes(wanted)) {
      throw new Error(`The stack has no aws_api_gateway_rest_api.${wanted}; it has ${names.length === 0 ? 'none' : names.join(', ')}`);
    }
    return wanted;
  }
  if (names.length === 0) throw new Error('The stack has no aws_api_gateway_rest_api');
  if (names.length > 1) throw new Error(`The stack has several REST APIs (${names.join(', ')}): pass restApi with the Terraform name of the one to serve`);
  return names[0];
}

/**
 * How aws_api_gateway_method_settings may name a method: `<path>/<METHOD>` with the
 * resource path's leading slash trimmed (as the Terraform docs ask) or with its slashes
 * written `~1` (as API Gateway's own patch paths do), or `<path>/*` for every method.
 */
function methodPathsOf(resourcePath: string, httpMethod: string): string[] {
  const trimmed = resourcePath.replace(/^\//, '');
  const encoded = resourcePath.replace(/\//g, '~1');
  return [...new Set([trimmed, encoded])].flatMap((path) => [`${path}/${httpMethod}`, `${path}/*`]);
}

/** A Java regex as API Gateway applies a selection pattern: it must match the whole value. */
function javaFullMatch(pattern: string, where: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 's');
  } catch (error) {
    throw new Error(`${where}: selection_pattern ${JSON.stringify(pattern)} is not a regular expression this server understands (${(error as Error).message})`);
  }
}

/** A stable stand-in for an id API Gateway would assign, e.g. for `$context.resourceId`. */
function localId(identity: string): string {
  return createHash('sha256').update(identity).digest('hex').slice(0, 10);
}
