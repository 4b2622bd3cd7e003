import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { arnPart } from './arn';
import { PolicyStatement } from './iam/policy-document';
import { GrantOptions, ServiceRole } from './iam/service-role';
import { environmentRulesOf } from './stack-environment';
import { OpsAlarms } from './ops-alarms';

export interface StateMachineProps {
  readonly stateMachineName: string;
  /** Name of the state machine's own role (one role per state machine). */
  readonly roleName: string;
  /** The Amazon States Language definition as an object; ARNs in it may be tokens. */
  readonly definition: object;
  /** Functions the definition invokes: the role may invoke these (and their versions and aliases) only. */
  readonly invokableFunctionArns: string[];
  /** Topics the definition publishes to: the role may publish to these only. */
  readonly publishableTopicArns: string[];
  /** @default the environment's rule (environment-rules.ts): 14 days in development, 365 in production */
  readonly logRetentionDays?: number;
  /**
   * Whether execution logs carry each state's input and output. Off because the report
   * workflow's data is the supplier list, which then would sit in CloudWatch Logs for
   * the whole retention period; state names, errors and causes are logged either way.
   * @default false
   */
  readonly includeExecutionData?: boolean;
}

/**
 * Log delivery actions Step Functions needs on the role to send execution logs to
 * CloudWatch Logs (it configures a vended log delivery on our behalf).
 */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * A STANDARD Step Functions state machine that can be observed and can do only what
 * its definition does: its own role limited to the given functions and topics, every
 * execution event logged (level ALL) to its own log group with retention, and X-Ray
 * tracing.
 */
export class StateMachine extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The state machine name as configured (a plain string, usable in other names). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: StateMachineProps) {
    super(scope, id);
    this.name = props.stateMachineName;

    // Under /aws/vendedlogs/ CloudWatch Logs sizes the log group's resource policy for
    // vended deliveries, so many state machines do not exhaust its 5 KB limit.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retentionInDays: props.logRetentionDays ?? environmentRulesOf(this).logRetentionDays,
    });

    this.role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      assumedBy: 'states.amazonaws.com',
      description: `Execution role of the ${props.stateMachineName} state machine`,
    });

    const statements: PolicyStatement[] = [];
    if (props.invokableFunctionArns.length > 0) {
      statements.push({
        Sid: 'InvokeWorkflowFunctions',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        // ":*" adds the functions' versions and aliases, which a definition may name.
        Resource: props.invokableFunctionArns.flatMap((arn) => [arn, `${arn}:*`]),
      });
    }
    if (props.publishableTopicArns.length > 0) {
      statements.push({
        Sid: 'PublishToWorkflowTopics',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: props.publishableTopicArns,
      });
    }
    statements.push(
      {
        Sid: 'WriteTraces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        // X-Ray supports no resource-level permissions: "*" is the only valid resource.
        Resource: '*',
      },
      {
        Sid: 'DeliverExecutionLogs',
        Effect: 'Allow',
        Action: LOG_DELIVERY_ACTIONS,
        // The log delivery actions support no resource-level permissions: "*" is the only valid resource.
        Resource: '*',
      },
    );
    // Deployed under the construct id `policy` before grants were named: moved, not replaced.
    const policy = this.role.grant('run-workflow', statements, { formerId: 'policy' });

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: props.stateMachineName,
      type: 'STANDARD',
      roleArn: this.role.arn,
      definition: JSON.stringify(props.definition),
      loggingConfiguration: {
        level: 'ALL',
        includeExecutionData: props.includeExecutionData ?? false,
        // Step Functions requires the log group ARN with its ":*" suffix.
        logDestination: `${this.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
      // Step Functions checks the role's logging permissions when the state machine is
      // created: the policy must be in place first.
      dependsOn: [policy],
    });
    OpsAlarms.of(this)?.watchStateMachine(this, props.stateMachineName, this.stateMachine.arn);
  }

  get arn(): string {
    return this.stateMachine.arn;
  }

  /** Lets `role` start executions of this state machine (grant `start-execution`). */
  grantStartExecution(role: ServiceRole, options: GrantOptions = {}): ITerraformDependable {
    return grantStartExecution(role, this.arn, options);
  }
}

/**
 * Lets `role` start executions of the state machine with this ARN and nothing else (grant
 * `start-execution`), for a construct given only the ARN.
 */
export function grantStartExecution(role: ServiceRole, stateMachineArn: string, options: GrantOptions = {}): ITerraformDependable {
  return role.grant(
    'start-execution',
    [{ Sid: 'StartExecution', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [stateMachineArn] }],
    options,
  );
}

/**
 * Lets `role` read the executions of one state machine (`DescribeExecution`: status,
 * input, output), and those of no other (grant `describe-executions`).
 */
export function grantDescribeExecutions(role: ServiceRole, machine: StateMachine, options: GrantOptions = {}): ITerraformDependable {
  return role.grant(
    'describe-executions',
    [{ Sid: 'DescribeExecutions', Effect: 'Allow', Action: ['states:DescribeExecution'], Resource: [`${executionArnPrefix(machine)}*`] }],
    options,
  );
}

/**
 * `arn:<partition>:states:<region>:<account>:execution:<machine name>:`, which an
 * execution's name completes: built from the machine's ARN parts (arn.ts) and its name.
 */
export function executionArnPrefix(machine: StateMachine): string {
  const part = (name: 'partition' | 'region' | 'account') => arnPart(machine.arn, name);
  return `arn:${part('partition')}:states:${part('region')}:${part('account')}:execution:${machine.name}:`;
}
