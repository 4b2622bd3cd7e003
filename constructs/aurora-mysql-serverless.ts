import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { OpsAlarms } from './ops-alarms';
import { allowTcp, restrictedSecurityGroup } from './private-network';
import { environmentRulesOf } from './stack-environment';

/** Where the cluster lives: a `PrivateNetwork` fits, and so does an existing VPC's ids. */
export interface DatabaseNetwork {
  readonly vpcId: string;
  /** Private subnets in at least two availability zones. */
  readonly subnetIds: string[];
}

export interface AuroraMysqlServerlessProps {
  /**
   * Cluster identifier, and prefix of the instance, subnet group, parameter group and
   * security group names: lowercase letters, digits and single hyphens, starting with a letter.
   */
  readonly name: string;
  readonly network: DatabaseNetwork;
  /** The database created with the cluster, e.g. `COFFEE`. */
  readonly databaseName: string;
  /** @default 'admin' (its password is generated and kept by RDS in Secrets Manager) */
  readonly masterUsername?: string;
  /**
   * An Aurora MySQL 3 (MySQL 8.0 compatible) version; Serverless v2 needs 3.x.
   * @default '8.0.mysql_aurora.3.08.0'
   */
  readonly engineVersion?: string;
  /** Aurora capacity units the instance never scales below. @default 0.5 */
  readonly minCapacity?: number;
  /** Aurora capacity units the instance never scales above: the cost ceiling. @default 2 */
  readonly maxCapacity?: number;
  /**
   * With a `minCapacity` of 0, idle seconds before the instance pauses (300-86,400); it
   * resumes on the next connection, in about 15 s. @default 300 (only used with a minimum of 0)
   */
  readonly secondsUntilAutoPause?: number;
  /** Days of automated backups (point-in-time restore window). @default 7 */
  readonly backupRetentionDays?: number;
  /**
   * @default the environment's rule (environment-rules.ts): off in development, so that
   * `cdktf destroy` cleans up as the labs' clean-up task does; on in production.
   */
  readonly deletionProtection?: boolean;
  /**
   * @default the environment's rule: skipped in development, so that `cdktf destroy` cleans
   * up as the labs do; in production destroy leaves a snapshot named `<name>-final`.
   */
  readonly skipFinalSnapshot?: boolean;
  /**
   * Refuses every connection that does not use TLS (`require_secure_transport`), as the
   * project's queues, topics and buckets refuse non-TLS requests. Clients must then connect
   * with TLS, e.g. mysql2's `ssl: 'Amazon RDS'` profile.
   * @default true
   */
  readonly requireSecureTransport?: boolean;
}

const MYSQL_PORT = 3306;
const DEFAULT_ENGINE_VERSION = '8.0.mysql_aurora.3.08.0';
const PARAMETER_GROUP_FAMILY = 'aurora-mysql8.0';
/** Queries slower than this many seconds go to the slow query log. */
const SLOW_QUERY_SECONDS = 2;
const IDENTIFIER = /^[a-z](?:-?[a-z0-9])*$/;
const GIB_PER_ACU = 2;
const DEFAULT_SECONDS_UNTIL_AUTO_PAUSE = 300;

/** Aurora MySQL 3.08.0 and later pause a 0-ACU Serverless v2 instance when it is idle. */
export function supportsAutoPause(engineVersion: string): boolean {
  const match = /mysql_aurora\.(\d+)\.(\d+)\.(\d+)$/.exec(engineVersion);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && minor >= 8);
}

/**
 * About how many connections Aurora MySQL's default max_connections allows an instance at
 * `maxCapacity` ACUs: its documented formula GREATEST(log2(memory/805306368)*45,
 * log2(memory/8187281408)*1000) on the nominal memory (2 GiB per ACU). Slightly high, since
 * DBInstanceClassMemory excludes what the OS keeps; an estimate for an alarm, not a limit.
 */
export function approximateMaxConnections(maxCapacity: number): number {
  const memory = maxCapacity * GIB_PER_ACU * 2 ** 30;
  return Math.floor(Math.max(Math.log2(memory / 805306368) * 45, Math.log2(memory / 8187281408) * 1000));
}

/**
 * An Aurora MySQL Serverless v2 cluster of one `db.serverless` instance in private subnets:
 * encrypted at rest, never publicly accessible, its master password generated, stored and
 * rotatable by RDS in Secrets Manager (no password in the configuration or the state), and a
 * security group that admits 3306 only from groups given to `allowConnectionsFrom`.
 *
 * A cluster parameter group turns on the slow query log (else the `slowquery` log export
 * stays empty) and, by default, requires TLS.
 */
export class AuroraMysqlServerless extends Construct {
  readonly cluster: RdsCluster;
  /** What a client that needs a running database (a migration) must depend on: the cluster alone accepts no connections. */
  readonly instance: RdsClusterInstance;
  readonly securityGroup: SecurityGroup;
  readonly databaseName: string;
  readonly port = MYSQL_PORT;
  private readonly name: string;
  private clients = 0;

  constructor(scope: Construct, id: string, props: AuroraMysqlServerlessProps) {
    super(scope, id);
    // RDS refuses such names only at apply time, after the network is already built.
    if (!Token.isUnresolved(props.name) && (!IDENTIFIER.test(props.name) || props.name.length > 50)) {
      throw new Error(`Aurora cluster name "${props.name}": use up to 50 lowercase letters, digits and single hyphens, starting with a letter`);
    }
    const minCapacity = props.minCapacity ?? 0.5;
    const maxCapacity = props.maxCapacity ?? 2;
    if (minCapacity < 0 || maxCapacity < minCapacity || maxCapacity < 1) {
      throw new Error(`Aurora Serverless v2 capacity must satisfy 0 <= min <= max and max >= 1, got min ${minCapacity}, max ${maxCapacity}`);
    }
    const engineVersion = props.engineVersion ?? DEFAULT_ENGINE_VERSION;
    if (minCapacity === 0 && !supportsAutoPause(engineVersion)) {
      throw new Error(`Aurora Serverless v2 pauses at 0 ACU only from Aurora MySQL 3.08.0; engine ${engineVersion} needs a minimum of 0.5`);
    }
    this.name = props.name;
    this.databaseName = props.databaseName;
    const skipFinalSnapshot = props.skipFinalSnapshot ?? !environmentRulesOf(this).protectData;
    const requireSecureTransport = props.requireSecureTransport ?? true;

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: `${props.name}-subnets`,
      description: `Private subnets of the ${props.name} Aurora cluster`,
      subnetIds: props.network.subnetIds,
      tags: { Name: `${props.name}-subnets` },
    });

    this.securityGroup = restrictedSecurityGroup(this, 'security-group', {
      vpcId: props.network.vpcId,
      name: `${props.name}-cluster`,
      description: `Aurora cluster ${props.name}: MySQL only from the groups allowed to connect`,
    });

    const parameterGroup = new RdsClusterParameterGroup(this, 'parameter-group', {
      name: `${props.name}-cluster`,
      family: PARAMETER_GROUP_FAMILY,
      description: `Aurora cluster ${props.name}: slow query log${requireSecureTransport ? ', TLS required' : ''}`,
      parameter: [
        { name: 'slow_query_log', value: '1' },
        { name: 'long_query_time', value: String(SLOW_QUERY_SECONDS) },
        // CloudWatch Logs exports read the log files, not the mysql.slow_log table.
        { name: 'log_output', value: 'FILE' },
        { name: 'require_secure_transport', value: requireSecureTransport ? 'ON' : 'OFF' },
      ],
      tags: { Name: `${props.name}-cluster` },
    });

    this.cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: props.name,
      engine: 'aurora-mysql',
      // Serverless v2 is an instance class of a provisioned cluster, not engine_mode "serverless" (v1).
      engineMode: 'provisioned',
      engineVersion,
      databaseName: props.databaseName,
      masterUsername: props.masterUsername ?? 'admin',
      manageMasterUserPassword: true,
      port: MYSQL_PORT,
      serverlessv2ScalingConfiguration: {
        minCapacity,
        maxCapacity,
        secondsUntilAutoPause: minCapacity === 0 ? (props.secondsUntilAutoPause ?? DEFAULT_SECONDS_UNTIL_AUTO_PAUSE) : undefined,
      },
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: parameterGroup.name,
      storageEncrypted: true,
      backupRetentionPeriod: props.backupRetentionDays ?? 7,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection ?? environmentRulesOf(this).protectData,
      skipFinalSnapshot,
      finalSnapshotIdentifier: skipFinalSnapshot ? undefined : `${props.name}-final`,
      enabledCloudwatchLogsExports: ['error', 'slowquery'],
      // Changes such as capacity apply now rather than in the next maintenance window, as a
      // reviewer of `terraform plan` expects.
      applyImmediately: true,
      tags: { Name: props.name },
    });

    this.instance = new RdsClusterInstance(this, 'instance', {
      identifier: `${props.name}-1`,
      clusterIdentifier: this.cluster.id,
      instanceClass: 'db.serverless',
      engine: this.cluster.engine,
      engineVersion: this.cluster.engineVersion,
      dbSubnetGroupName: subnetGroup.name,
      publiclyAccessible: false,
      applyImmediately: true,
      tags: { Name: `${props.name}-1` },
    });
    OpsAlarms.of(this)?.watchAuroraServerless(this, props.name, this.cluster.clusterIdentifier, approximateMaxConnections(maxCapacity));
  }

  /** The writer endpoint's host name. */
  get endpoint(): string {
    return this.cluster.endpoint;
  }

  /**
   * The port as the cluster reports it, for a function's environment: a reference rather
   * than the literal, so that a database elsewhere (the local runtime's) can answer on another.
   */
  get portAttribute(): string {
    return Token.asString(this.cluster.port);
  }

  get securityGroupId(): string {
    return this.securityGroup.id;
  }

  get clusterArn(): string {
    return this.cluster.arn;
  }

  /** The Secrets Manager secret RDS keeps the master login in (JSON `username`, `password`). */
  get masterUserSecretArn(): string {
    return this.cluster.masterUserSecret.get(0).secretArn;
  }

  /**
   * Lets members of a security group (a function's) connect on 3306, and gives that group the
   * matching egress rule to this cluster's group (see `TcpAccess.egress`).
   */
  allowConnectionsFrom(securityGroupId: string, options: { egress?: boolean } = {}): void {
    this.clients += 1;
    allowTcp(this, `client-${this.clients}`, {
      from: securityGroupId,
      to: this.securityGroup.id,
      port: MYSQL_PORT,
      description: `MySQL to Aurora cluster ${this.name}`,
      name: `${this.name}-client-${this.clients}`,
      egress: options.egress,
    });
  }
}
