import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { DataArchiveFile } from '@cdktf/provider-archive/lib/data-archive-file';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { arnPart } from './arn';
import { bundleFunction } from './bundle';
import { ServiceRole } from './iam/service-role';
import { environmentRulesOf } from './stack-environment';
import { OpsAlarms } from './ops-alarms';

export interface NodejsFunctionProps {
  readonly functionName: string;
  /** Name of the function's own execution role (one role per function). */
  readonly roleName: string;
  /** Handler source relative to the project root; it must export `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** Every ARN, name and URL the handler needs. */
  readonly environment?: Record<string, string>;
  /**
   * Explicit so that queue visibility timeouts can be derived from it.
   * @default 10 (the Lambda default of 3 s is too tight for a cold start plus an SDK call)
   */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default the environment's rule (environment-rules.ts): 14 days in development, 365 in production */
  readonly logRetentionDays?: number;
  /** Runs the function in these private subnets with these security groups. @default outside any VPC */
  readonly vpc?: FunctionVpcPlacement;
  /**
   * Concurrent executions kept for this function alone, and its ceiling.
   * @default none: the function shares the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
  /**
   * Moves the role's grants from the construct ids they had before grants were named: true
   * for functions deployed before then; a function added since has nothing to move.
   * @default true
   */
  readonly movesFormerGrantIds?: boolean;
}

export interface FunctionVpcPlacement {
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
}

export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;

/**
 * A Node.js Lambda function with everything it needs to run and be observed: its
 * esbuild bundle zipped by `data.archive_file`, its own role, its own log group with
 * retention, permission to write to that log group only, and X-Ray tracing.
 */
export class NodejsFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly timeoutSeconds: number;
  /** The function name as configured (a plain string, usable in other names). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    this.name = props.functionName;
    this.timeoutSeconds = props.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;

    const bundle = new TerraformAsset(this, 'bundle', { path: bundleFunction(props.entry), type: AssetType.FILE });
    const archive = new DataArchiveFile(this, 'archive', {
      type: 'zip',
      sourceFile: bundle.path,
      outputPath: `\${path.module}/lambda-zips/${props.functionName}.zip`,
      // A fixed mode keeps the zip, and so source_code_hash, identical across machines.
      outputFileMode: '0644',
    });

    // Created here rather than by Lambda so that retention is set and the role can be
    // scoped to this group alone.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? environmentRulesOf(this).logRetentionDays,
    });

    this.role = new ServiceRole(this, 'execution-role', {
      roleName: props.roleName,
      assumedBy: 'lambda.amazonaws.com',
      description: `Execution role of ${props.functionName}`,
    });
    // formerId: deployed stacks hold these under the construct ids they had before grants
    // were named (`observability`, `vpc-access`); Terraform moves them instead of replacing.
    const formerId = (id: string) => ((props.movesFormerGrantIds ?? true) ? { formerId: id } : {});
    const observability = this.role.grant('write-own-logs-and-traces', [
      {
        Sid: 'WriteOwnLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`${this.logGroup.arn}:*`],
      },
      {
        Sid: 'WriteTraces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        // X-Ray's write actions support no resource-level permissions: "*" is the only valid resource.
        Resource: '*',
      },
    ], formerId('observability'));

    const networkInterfaces = props.vpc && this.allowNetworkInterfaces(props.vpc, formerId('vpc-access'));

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: archive.outputPath,
      sourceCodeHash: archive.outputBase64Sha256,
      timeout: this.timeoutSeconds,
      memorySize: props.memorySize ?? 256,
      environment: {
        variables: { POWERTOOLS_SERVICE_NAME: props.functionName, ...props.environment },
      },
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      vpcConfig: props.vpc,
      reservedConcurrentExecutions: props.reservedConcurrency,
      // The first invocation must find its log group and permissions in place; Lambda
      // creates a VPC function's network interfaces with its role while creating it.
      dependsOn: [this.logGroup, observability, ...(networkInterfaces ? [networkInterfaces] : [])],
    });
    OpsAlarms.of(this)?.watchFunction(this, props.functionName, this.function.functionName, this.timeoutSeconds);
  }

  /**
   * What Lambda needs of the role to attach the function to its subnets (the scope of
   * AWSLambdaVPCAccessExecutionRole, narrowed to these subnets and security groups).
   */
  private allowNetworkInterfaces(vpc: FunctionVpcPlacement, options: { formerId?: string }) {
    const region = arnPart(this.logGroup.arn, 'region');
    const account = arnPart(this.logGroup.arn, 'account');
    const ec2 = (resource: string) => `arn:${arnPart(this.logGroup.arn, 'partition')}:ec2:${region}:${account}:${resource}`;
    return this.role.grant('attach-to-vpc', [
      {
        Sid: 'ManageOwnNetworkInterfaces',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        Resource: [
          ec2('network-interface/*'),
          ...vpc.subnetIds.map((id) => ec2(`subnet/${id}`)),
          ...vpc.securityGroupIds.map((id) => ec2(`security-group/${id}`)),
        ],
      },
      {
        Sid: 'DescribeNetworkInterfaces',
        Effect: 'Allow',
        Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        // EC2's Describe actions support no resource-level permissions: "*" is the only valid resource.
        Resource: '*',
      },
    ], options);
  }

  get functionArn(): string {
    return this.function.arn;
  }
}
