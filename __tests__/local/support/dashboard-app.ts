/**
 * A synthesized app of the dashboard and a stack standing in for the inventory and report
 * stacks it reads, with the shapes they give it (pool and hosted UI domain, upload bucket, a
 * REST API with a stage and a Cognito authorizer over a MOCK integration): how the runtime's
 * multi-stack tests run the dashboard without depending on what those stacks' own functions do.
 */
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App } from 'cdktf';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import type { PipelineConfig } from '../../../config';
import { DashboardStack } from '../../../stacks/dashboard';
import { PipelineStack } from '../../../stacks/pipeline-stack';
import { TEST_CONFIG } from '../../support/synth';

export class ProducerStack extends PipelineStack {
  readonly userPool: { pool: CognitoUserPool; domain: CognitoUserPoolDomain };
  readonly uploadBucket: S3Bucket;
  readonly api: { restApiId: string; stageName: string };

  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config);
    const pool = new CognitoUserPool(this, 'pool', { name: 'test-users' });
    this.userPool = { pool, domain: new CognitoUserPoolDomain(this, 'domain', { domain: 'test-cafe-0123', userPoolId: pool.id }) };
    this.uploadBucket = new S3Bucket(this, 'uploads', { bucketPrefix: 'test-uploads-' });
    const api = new ApiGatewayRestApi(this, 'api', { name: 'test-api' });
    const authorizer = new ApiGatewayAuthorizer(this, 'authorizer', { name: 'pool', restApiId: api.id, type: 'COGNITO_USER_POOLS', providerArns: [pool.arn], identitySource: 'method.request.header.Authorization' });
    const products = new ApiGatewayResource(this, 'products', { restApiId: api.id, parentId: api.rootResourceId, pathPart: 'products' });
    const method = new ApiGatewayMethod(this, 'get', { restApiId: api.id, resourceId: products.id, httpMethod: 'GET', authorization: 'COGNITO_USER_POOLS', authorizerId: authorizer.id });
    const integration = new ApiGatewayIntegration(this, 'mock', {
      restApiId: api.id,
      resourceId: products.id,
      httpMethod: method.httpMethod,
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
    });
    new ApiGatewayMethodResponse(this, 'ok', { restApiId: api.id, resourceId: products.id, httpMethod: method.httpMethod, statusCode: '200' });
    new ApiGatewayIntegrationResponse(this, 'ok-response', {
      restApiId: api.id,
      resourceId: products.id,
      httpMethod: method.httpMethod,
      statusCode: '200',
      responseTemplates: { 'application/json': '{"items": [], "caller": "$context.authorizer.claims.email"}' },
      dependsOn: [integration],
    });
    const deployment = new ApiGatewayDeployment(this, 'deployment', { restApiId: api.id, dependsOn: [integration] });
    const stage = new ApiGatewayStage(this, 'stage', { restApiId: api.id, deploymentId: deployment.id, stageName: 'v1' });
    this.api = { restApiId: api.id, stageName: stage.stageName };
  }
}

/** Synthesizes the producer (id `producer`) and the dashboard (id `dashboard`) into `outDir`, as `cdktf synth` would. */
export function synthesizeDashboardApp(outDir: string): void {
  const app = new App({ outdir: outDir });
  const producer = new ProducerStack(app, 'producer', TEST_CONFIG);
  new DashboardStack(app, 'dashboard', TEST_CONFIG, {
    userPool: producer.userPool,
    uploadBucket: { name: producer.uploadBucket.bucket },
    inventoryApi: producer.api,
    reportApi: producer.api,
    siteBuildDir: join(outDir, 'site-build'),
  });
  app.synth();
}
