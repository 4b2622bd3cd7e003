import { Construct } from 'constructs';
import { ITerraformDependable, TerraformOutput } from 'cdktf';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import type { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { ExistingDatabase, PipelineConfig } from '../config';
import { AccessTokenAuthorizer } from '../constructs/access-token-authorizer';
import { ApiGatewayToStepFunctions } from '../constructs/api-gateway-to-step-functions';
import { AuroraMysqlServerless } from '../constructs/aurora-mysql-serverless';
import { grantReadDatabaseSecret } from '../constructs/database-secret';
import { NodejsFunction } from '../constructs/nodejs-function';
import { dashboardPanels, PipelineDashboard } from '../constructs/pipeline-dashboard';
import { PrivateNetwork } from '../constructs/private-network';
import { RestApiAddress } from '../constructs/rest-api';
import { SecureBucket } from '../constructs/secure-bucket';
import { SecureTopic } from '../constructs/secure-topic';
import { executionArnPrefix, grantDescribeExecutions, StateMachine } from '../constructs/state-machine';
import { REPORT_PREFIX } from '../functions/report/shared/report-location';
import { PipelineStack } from './pipeline-stack';
import { LAMBDA_TASK_TIMEOUT_SECONDS, reportWorkflowDefinition } from './report-workflow';

/** The lab's database. */
export const REPORT_DATABASE_NAME = 'COFFEE';
/** Old reports are deleted after this many days; their links expired long before. */
export const REPORT_RETENTION_DAYS = 7;
/** How long an emailed link works: well within the signing role's credentials' life. */
export const REPORT_LINK_EXPIRY_SECONDS = 3600;
/**
 * What `create_report` accepts: an empty JSON object. Nothing about the report is chosen by
 * the caller (it always covers every supplier), so nothing else may be sent.
 */
export const CREATE_REPORT_REQUEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'CreateReport',
  type: 'object',
  additionalProperties: false,
  properties: {},
};

/** A Cognito user pool as the report stack needs it: another stack's pool, or one named by its ARN. */
export interface UserPoolReference {
  /** `<region>_<suffix>`: the issuer of its tokens is `https://cognito-idp.<region>.amazonaws.com/<id>`. */
  readonly id: string;
}

export interface ReportPipelineStackProps {
  /**
   * Whose users may ask for reports: the inventory stack's pool, the one the dashboard signs
   * in with (seed 003 STEP 8), passed as a cross-stack reference. REPORT_USER_POOL_ARN
   * (config.reportUserPoolArn) overrides it.
   */
  readonly userPool: UserPoolReference;
}

/** Functions that reach the database wait for a paused Aurora Serverless to resume. */
const DATABASE_FUNCTION_TIMEOUT_SECONDS = 60;

/**
 * Seed 004: a person asks for a report through the authorized `create_report` API; a state machine reads the suppliers and their
 * beans from Aurora MySQL, renders an HTML report into S3 and, once it exists, emails a
 * short-lived link to it through SNS EmailReport.
 */
export class ReportPipelineStack extends PipelineStack {
  /** The workflow, for the API that starts it. */
  readonly stateMachine: StateMachine;
  /** The report API (POST / starts a report), for the dashboard's CloudFront origin. */
  readonly api: RestApiAddress;

  constructor(scope: Construct, id: string, config: PipelineConfig, props: ReportPipelineStackProps) {
    super(scope, id, config);
    const name = (labName: string) => this.resourceName(labName);

    // Step 5 (SNS): the topic the link goes to. Owner-only, unlike the lab's "Everyone".
    const topic = new SecureTopic(this, 'email-report-topic', {
      topicName: name('EmailReport'),
      emailSubscription: config.notificationEmail,
      smsSubscription: config.notificationSms,
    });

    const reports = new SecureBucket(this, 'report-bucket', {
      ...(config.bucketSuffix ? { bucketName: name(`coffee-reports-${config.bucketSuffix}`) } : { bucketPrefix: name('coffee-reports-') }),
      // A report is made again on request; old versions would only hold stale data.
      versioned: false,
      expire: [{ prefix: REPORT_PREFIX, days: REPORT_RETENTION_DAYS }],
    });

    const database = config.reportDatabase ? existingDatabase(config.reportDatabase) : this.ownDatabase();
    const databaseFunction = (id: string, functionName: string, entry: string, description: string) => {
      const fn = new NodejsFunction(this, id, {
        functionName,
        roleName: `${functionName}-role`,
        description,
        entry,
        timeoutSeconds: DATABASE_FUNCTION_TIMEOUT_SECONDS,
        environment: {
          DB_HOST: database.endpoint,
          DB_PORT: database.port,
          DB_NAME: REPORT_DATABASE_NAME,
          DB_SECRET_ARN: database.secretArn,
        },
        vpc: { subnetIds: database.subnetIds, securityGroupIds: [database.clientSecurityGroupId] },
      });
      grantReadDatabaseSecret(fn.role, database.secretArn);
      return fn;
    };

    // The schema and sample data from sql/coffee/, bundled into the function: applied on
    // every deploy that changes the function's code, which includes every SQL change.
    const migrate = databaseFunction(
      'migrate-database',
      name('MigrateReportDatabase'),
      'functions/report/migrate-database/handler.ts',
      'Applies sql/coffee/ to the COFFEE database, each file once',
    );
    new LambdaInvocation(this, 'apply-migrations', {
      functionName: migrate.function.functionName,
      input: JSON.stringify({}),
      triggers: { code: migrate.function.sourceCodeHash },
      // The function can connect only once the database has an instance to answer.
      dependsOn: [...database.readyAfter, migrate.function],
    });

    // Step 2: the data step.
    const fetchData = databaseFunction(
      'fetch-supplier-data',
      name('FetchSupplierData'),
      'functions/report/fetch-supplier-data/handler.ts',
      'Reads every supplier and its beans from the COFFEE database',
    );

    // Step 3: the report and its link, in parallel.
    const render = new NodejsFunction(this, 'render-report', {
      functionName: name('RenderReport'),
      roleName: name('RenderReport-role'),
      description: 'Renders the supplier report as HTML into the report bucket',
      entry: 'functions/report/render-report/handler.ts',
      environment: { REPORT_BUCKET: reports.name },
    });
    reports.grantWrite(render.role, { prefix: REPORT_PREFIX });
    const presign = new NodejsFunction(this, 'presign-report-url', {
      functionName: name('PresignReportUrl'),
      roleName: name('PresignReportUrl-role'),
      description: 'Makes a presigned link to the report that expires within the hour',
      entry: 'functions/report/presign-report-url/handler.ts',
      environment: { REPORT_BUCKET: reports.name, LINK_EXPIRY_SECONDS: String(REPORT_LINK_EXPIRY_SECONDS) },
    });
    // A presigned URL acts with the signer's permissions: this is what opening the link needs.
    reports.grantRead(presign.role, { prefix: REPORT_PREFIX });

    for (const fn of [fetchData, render, presign]) {
      if (fn.timeoutSeconds >= LAMBDA_TASK_TIMEOUT_SECONDS) {
        throw new Error(`${fn.name}'s timeout must be shorter than the workflow's task timeout (${LAMBDA_TASK_TIMEOUT_SECONDS} s)`);
      }
    }

    // Steps 1-5: the workflow that ties them together.
    this.stateMachine = new StateMachine(this, 'workflow', {
      stateMachineName: name('CreateReport'),
      roleName: name('CreateReport-state-machine'),
      definition: reportWorkflowDefinition({
        fetchSupplierDataArn: fetchData.functionArn,
        renderReportArn: render.functionArn,
        presignReportUrlArn: presign.functionArn,
        topicArn: topic.arn,
      }),
      invokableFunctionArns: [fetchData.functionArn, render.functionArn, presign.functionArn],
      publishableTopicArns: [topic.arn],
    });

    // Step 1: who may ask for a report: the dashboard's users, or those of the configured pool,
    // while Cognito accepts their access token (signing out cuts access at once).
    const users = config.reportUserPoolArn ? userPoolOfArn(config.reportUserPoolArn) : props.userPool;
    const authorizer = new AccessTokenAuthorizer(this, 'api-authorizer', {
      functionName: name('ReportApiAuthorizer'),
      roleName: name('ReportApiAuthorizer-role'),
      userPoolId: users.id,
    });
    // The dashboard follows the report it asked for until its link is ready.
    const status = new NodejsFunction(this, 'report-status', {
      functionName: name('ReportStatus'),
      roleName: name('ReportStatus-role'),
      description: "Tells a person where their report stands, and gives its link once it is made",
      entry: 'functions/report/report-status/handler.ts',
      movesFormerGrantIds: false,
      environment: { EXECUTION_ARN_PREFIX: executionArnPrefix(this.stateMachine) },
    });
    grantDescribeExecutions(status.role, this.stateMachine);
    const api = new ApiGatewayToStepFunctions(this, 'create-report-api', {
      apiName: name('create_report'),
      roleName: name('create_report-api'),
      stateMachineArn: this.stateMachine.arn,
      requestSchema: CREATE_REPORT_REQUEST_SCHEMA,
      modelName: 'CreateReport',
      invalidBodyMessage: 'Invalid request: send an empty JSON object, {}.',
      throttlingRateLimit: config.scale.reportApiRateLimit,
      throttlingBurstLimit: config.scale.reportApiBurstLimit,
      authorizer: authorizer.authorizer,
      lambdaRoutes: [{ method: 'GET', path: '/{executionId}', function: status.function }],
    });
    this.api = { restApiId: api.restApi.id, stageName: api.stage.stageName };

    // Left to right as the diagram in the README reads.
    new PipelineDashboard(this, 'dashboard', {
      dashboardName: name('report-pipeline'),
      region: config.region,
      panels: [
        dashboardPanels.requests('create_report: reports asked for', api.restApi, api.stage),
        dashboardPanels.function('ReportApiAuthorizer: checking sign-ins', authorizer.function),
        dashboardPanels.executions('CreateReport: executions', this.stateMachine),
        dashboardPanels.function('FetchSupplierData: reading the database', fetchData),
        ...(database.cluster ? [dashboardPanels.database('COFFEE database (Aurora)', database.cluster)] : []),
        dashboardPanels.function('MigrateReportDatabase: migrations at deploy', migrate),
        dashboardPanels.function('RenderReport: writing the report', render),
        dashboardPanels.function('PresignReportUrl: signing the link', presign),
        dashboardPanels.bucket('report bucket: reports', reports),
        dashboardPanels.notifications('EmailReport topic: links emailed', topic),
        dashboardPanels.function('ReportStatus: following a report', status),
      ],
    });

    new TerraformOutput(this, 'api_url', { value: api.url, description: 'POST {} here with a Cognito access token to get a report by email; GET /<executionId> for its status' });
    new TerraformOutput(this, 'state_machine_arn', { value: this.stateMachine.arn });
    new TerraformOutput(this, 'report_bucket', { value: reports.name });
    new TerraformOutput(this, 'topic_arn', { value: topic.arn });
    new TerraformOutput(this, 'database_endpoint', { value: database.endpoint });
  }

  /**
   * The stack's own database: Aurora MySQL Serverless v2 in private subnets with no route
   * out. Functions reach Secrets Manager through an interface endpoint, and nothing reaches
   * the database but them.
   */
  private ownDatabase(): ReportDatabase {
    const name = (labName: string) => this.resourceName(labName);
    const network = new PrivateNetwork(this, 'network', { name: name('report'), region: this.config.region });
    const database = new AuroraMysqlServerless(this, 'database', {
      name: name('coffee'),
      network,
      databaseName: REPORT_DATABASE_NAME,
      minCapacity: this.config.scale.auroraMinAcu,
      maxCapacity: this.config.scale.auroraMaxAcu,
      secondsUntilAutoPause: this.config.scale.auroraAutoPauseSeconds,
    });
    const clients = network.securityGroup('database-clients', 'Functions that read the COFFEE database');
    database.allowConnectionsFrom(clients.id);
    network.allowEndpointAccessFrom(clients.id);
    return {
      endpoint: database.endpoint,
      port: database.portAttribute,
      secretArn: database.masterUserSecretArn,
      subnetIds: network.subnetIds,
      clientSecurityGroupId: clients.id,
      readyAfter: [database.instance],
      cluster: database.cluster,
    };
  }
}

/** What the database functions need to know of the database, whichever it is. */
interface ReportDatabase {
  readonly endpoint: string;
  readonly port: string;
  readonly secretArn: string;
  readonly subnetIds: string[];
  readonly clientSecurityGroupId: string;
  /** What must exist before the database answers (nothing for one that already exists). */
  readonly readyAfter: ITerraformDependable[];
  /** The stack's own cluster; absent for an existing database, which is watched where it is managed. */
  readonly cluster?: RdsCluster;
}

/** A pool named by its ARN, `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>` (config.ts checks the shape). */
export function userPoolOfArn(arn: string): UserPoolReference {
  return { id: arn.slice(arn.lastIndexOf('/') + 1) };
}

/** A database that already exists (REPORT_DB_*): its network and access are the owner's. */
function existingDatabase(database: ExistingDatabase): ReportDatabase {
  return {
    endpoint: database.endpoint,
    port: String(database.port),
    secretArn: database.secretArn,
    subnetIds: database.subnetIds,
    clientSecurityGroupId: database.securityGroupId,
    readyAfter: [],
  };
}
