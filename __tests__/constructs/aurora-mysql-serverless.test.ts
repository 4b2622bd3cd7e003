import { TerraformOutput, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import 'cdktf/lib/testing/adapters/jest';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { AuroraMysqlServerless, AuroraMysqlServerlessProps } from '../../constructs/aurora-mysql-serverless';
import { PrivateNetwork } from '../../constructs/private-network';
import { ResourceConfig, SynthesizedStack } from '../../local/stack/synthesized-stack';

const REGION = 'us-east-1';

/** The report stack's database wiring in miniature: a function group that may reach the cluster and the endpoint. */
class DatabaseStack extends TerraformStack {
  readonly database: AuroraMysqlServerless;

  constructor(scope: Construct, id: string, props: Partial<AuroraMysqlServerlessProps> = {}) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: REGION });
    const network = new PrivateNetwork(this, 'network', { name: 'test-report', region: REGION });
    const functionGroup = network.securityGroup('fetch-data', 'The fetch-data function');
    network.allowEndpointAccessFrom(functionGroup.id);
    this.database = new AuroraMysqlServerless(this, 'database', { name: 'test-coffee', network, databaseName: 'COFFEE', ...props });
    this.database.allowConnectionsFrom(functionGroup.id);
    new TerraformOutput(this, 'endpoint', { value: this.database.endpoint });
    new TerraformOutput(this, 'port', { value: this.database.port });
    new TerraformOutput(this, 'secret', { value: this.database.masterUserSecretArn });
    new TerraformOutput(this, 'cluster-arn', { value: this.database.clusterArn });
    new TerraformOutput(this, 'security-group', { value: this.database.securityGroupId });
    new TerraformOutput(this, 'database-name', { value: this.database.databaseName });
  }
}

function synth(props: Partial<AuroraMysqlServerlessProps> = {}) {
  const synthesized = Testing.synth(new DatabaseStack(Testing.app(), 'database-test', props));
  return { synthesized, stack: SynthesizedStack.parse(synthesized) };
}

const { synthesized, stack } = synth();
const ref = (type: string, name: string, attribute = 'id') => `\${${type}.${name}.${attribute}}`;
const only = (type: string, parsed = stack): [string, ResourceConfig] => {
  const entries = Object.entries(parsed.resources(type));
  expect(entries).toHaveLength(1);
  return entries[0];
};
const [clusterName, cluster] = only('aws_rds_cluster');
const [subnetGroupName] = only('aws_db_subnet_group');
const clusterGroup = ref('aws_security_group', stack.findName('aws_security_group', 'name', 'test-coffee-cluster'));
const functionGroup = ref('aws_security_group', stack.findName('aws_security_group', 'name', 'test-report-fetch-data'));
const subnetIds = Object.keys(stack.resources('aws_subnet')).map((name) => ref('aws_subnet', name));

describe('AuroraMysqlServerless', () => {
  it('places the cluster in the private subnets through a subnet group', () => {
    expect(synthesized).toHaveResourceWithProperties(DbSubnetGroup, {
      name: 'test-coffee-subnets',
      subnet_ids: subnetIds,
      tags: { Name: 'test-coffee-subnets' },
    });
    expect(subnetIds).toHaveLength(2);
    expect(cluster.db_subnet_group_name).toBe(ref('aws_db_subnet_group', subnetGroupName, 'name'));
  });

  it('is Aurora MySQL 3 Serverless v2 with small capacity, encrypted, backed up, exporting its logs', () => {
    expect(synthesized).toHaveResourceWithProperties(RdsCluster, {
      cluster_identifier: 'test-coffee',
      engine: 'aurora-mysql',
      engine_mode: 'provisioned',
      engine_version: '8.0.mysql_aurora.3.08.0',
      database_name: 'COFFEE',
      port: 3306,
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 2 },
      storage_encrypted: true,
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      enabled_cloudwatch_logs_exports: ['error', 'slowquery'],
      apply_immediately: true,
      vpc_security_group_ids: [clusterGroup],
      tags: { Name: 'test-coffee' },
    });
  });

  it('lets RDS generate and keep the master password in Secrets Manager: none in the configuration', () => {
    expect(cluster).toMatchObject({ manage_master_user_password: true, master_username: 'admin' });
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.master_password_wo).toBeUndefined();
    expect(synthesized).not.toMatch(/password"\s*:\s*"/);
  });

  it('is destroyed cleanly by default, like the labs, and protected on request', () => {
    expect(cluster).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(cluster.final_snapshot_identifier).toBeUndefined();
    const [, kept] = only('aws_rds_cluster', synth({ deletionProtection: true, skipFinalSnapshot: false }).stack);
    expect(kept).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: 'test-coffee-final' });
  });

  it('turns on the slow query log and requires TLS through its cluster parameter group', () => {
    const [groupName, group] = only('aws_rds_cluster_parameter_group');
    expect(cluster.db_cluster_parameter_group_name).toBe(ref('aws_rds_cluster_parameter_group', groupName, 'name'));
    expect(group).toMatchObject({ name: 'test-coffee-cluster', family: 'aurora-mysql8.0' });
    expect(group.parameter).toEqual([
      { name: 'slow_query_log', value: '1' },
      { name: 'long_query_time', value: '2' },
      { name: 'log_output', value: 'FILE' },
      { name: 'require_secure_transport', value: 'ON' },
    ]);
    const [, plain] = only('aws_rds_cluster_parameter_group', synth({ requireSecureTransport: false }).stack);
    expect(plain.parameter).toContainEqual({ name: 'require_secure_transport', value: 'OFF' });
  });

  it('has one db.serverless instance in the cluster, never publicly accessible', () => {
    expect(synthesized).toHaveResourceWithProperties(RdsClusterInstance, {
      identifier: 'test-coffee-1',
      cluster_identifier: ref('aws_rds_cluster', clusterName),
      instance_class: 'db.serverless',
      engine: ref('aws_rds_cluster', clusterName, 'engine'),
      engine_version: ref('aws_rds_cluster', clusterName, 'engine_version'),
      db_subnet_group_name: ref('aws_db_subnet_group', subnetGroupName, 'name'),
      publicly_accessible: false,
    });
    only('aws_rds_cluster_instance');
  });

  it('admits 3306 only from the allowed group, which gets the matching egress rule to the cluster', () => {
    const toCluster = Object.values(stack.resources('aws_vpc_security_group_ingress_rule')).filter((rule) => rule.security_group_id === clusterGroup);
    const mysql = { ip_protocol: 'tcp', from_port: 3306, to_port: 3306, description: 'MySQL to Aurora cluster test-coffee', tags: { Name: 'test-coffee-client-1' } };
    expect(toCluster).toEqual([{ ...mysql, security_group_id: clusterGroup, referenced_security_group_id: functionGroup }]);
    const fromFunction = Object.values(stack.resources('aws_vpc_security_group_egress_rule')).filter((rule) => rule.security_group_id === functionGroup);
    expect(fromFunction).toContainEqual({ ...mysql, security_group_id: functionGroup, referenced_security_group_id: clusterGroup });
    // The cluster opens no connections of its own.
    const clusterEgress = Object.values(stack.resources('aws_vpc_security_group_egress_rule')).filter((rule) => rule.security_group_id === clusterGroup);
    expect(clusterEgress).toEqual([]);
  });

  it('has no security group or rule open to an address range anywhere in the stack', () => {
    for (const group of Object.values(stack.resources('aws_security_group'))) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
    }
    expect(stack.resources('aws_security_group_rule')).toEqual({});
    for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      for (const rule of Object.values(stack.resources(type))) {
        expect(rule).not.toHaveProperty('cidr_ipv4');
        expect(rule).not.toHaveProperty('cidr_ipv6');
        expect(rule).not.toHaveProperty('prefix_list_id');
      }
    }
    expect(synthesized).not.toContain('0.0.0.0/0');
    expect(synthesized).not.toContain('::/0');
  });

  it('exposes the endpoint, port, secret, ARN, group and database name a function is wired with', () => {
    const outputs = stack.json.output ?? {};
    expect(outputs.endpoint.value).toBe(ref('aws_rds_cluster', clusterName, 'endpoint'));
    expect(outputs.port.value).toBe(3306);
    expect(outputs.secret.value).toBe(`\${aws_rds_cluster.${clusterName}.master_user_secret[0].secret_arn}`);
    expect(outputs['cluster-arn'].value).toBe(ref('aws_rds_cluster', clusterName, 'arn'));
    expect(outputs['security-group'].value).toBe(clusterGroup);
    expect(outputs['database-name'].value).toBe('COFFEE');
  });

  it('takes capacity, version, retention and user from props', () => {
    const [, custom] = only(
      'aws_rds_cluster',
      synth({ minCapacity: 0, maxCapacity: 4, engineVersion: '8.0.mysql_aurora.3.10.0', backupRetentionDays: 14, masterUsername: 'coffee_admin' }).stack,
    );
    expect(custom).toMatchObject({
      serverlessv2_scaling_configuration: { min_capacity: 0, max_capacity: 4 },
      engine_version: '8.0.mysql_aurora.3.10.0',
      backup_retention_period: 14,
      master_username: 'coffee_admin',
    });
  });

  it('refuses a name RDS would refuse at apply time, and impossible capacities', () => {
    for (const name of ['Coffee', '1coffee', 'coffee--db', 'coffee-', 'coffee_db', 'c'.repeat(51)]) {
      expect(() => synth({ name })).toThrow(/lowercase letters/);
    }
    expect(() => synth({ minCapacity: 2, maxCapacity: 1 })).toThrow(/capacity/);
    expect(() => synth({ minCapacity: 0, maxCapacity: 0.5 })).toThrow(/capacity/);
    expect(() => synth({ minCapacity: -1 })).toThrow(/capacity/);
  });

  it('adds no egress rule when the caller manages the client group', () => {
    const app = Testing.app();
    const custom = new TerraformStack(app, 'existing-client');
    new AwsProvider(custom, 'aws', { region: REGION });
    const database = new AuroraMysqlServerless(custom, 'database', {
      name: 'coffee',
      network: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'] },
      databaseName: 'COFFEE',
    });
    database.allowConnectionsFrom('sg-0123456789abcdef0', { egress: false });
    const parsed = SynthesizedStack.parse(Testing.synth(custom));
    expect(Object.values(parsed.resources('aws_vpc_security_group_ingress_rule'))).toEqual([
      expect.objectContaining({ referenced_security_group_id: 'sg-0123456789abcdef0', from_port: 3306 }),
    ]);
    expect(parsed.resources('aws_vpc_security_group_egress_rule')).toEqual({});
    expect(only('aws_db_subnet_group', parsed)[1].subnet_ids).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
  });
});
