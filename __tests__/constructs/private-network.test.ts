import { TerraformOutput, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import 'cdktf/lib/testing/adapters/jest';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { cidrSubnet, PrivateNetwork, PrivateNetworkProps } from '../../constructs/private-network';
import { ResourceConfig, SynthesizedStack } from '../../local/stack/synthesized-stack';

const REGION = 'eu-west-1';

/** A stack holding one network whose function group may use the endpoints, as the report stack wires it. */
class NetworkStack extends TerraformStack {
  readonly network: PrivateNetwork;

  constructor(scope: Construct, id: string, props: Partial<PrivateNetworkProps> = {}) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: REGION });
    this.network = new PrivateNetwork(this, 'network', { name: 'test-report', region: REGION, ...props });
    const functionGroup = this.network.securityGroup('fetch-data', 'The fetch-data function');
    this.network.allowEndpointAccessFrom(functionGroup.id);
  }
}

function synth(props: Partial<PrivateNetworkProps> = {}) {
  const stack = new NetworkStack(Testing.app(), 'network-test', props);
  const synthesized = Testing.synth(stack);
  return { synthesized, stack: SynthesizedStack.parse(synthesized) };
}

const { synthesized, stack } = synth();
const ref = (type: string, name: string, attribute = 'id') => `\${${type}.${name}.${attribute}}`;
const only = (type: string): [string, ResourceConfig] => {
  const entries = Object.entries(stack.resources(type));
  expect(entries).toHaveLength(1);
  return entries[0];
};
const groupNamed = (name: string) => stack.findName('aws_security_group', 'name', name);
const [vpcName] = only('aws_vpc');
const subnetNames = Object.keys(stack.resources('aws_subnet'));

describe('PrivateNetwork', () => {
  it('is a VPC with DNS support and host names, which private DNS on interface endpoints needs', () => {
    expect(synthesized).toHaveResourceWithProperties(Vpc, {
      cidr_block: '10.20.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: 'test-report-vpc' },
    });
  });

  it('has two private subnets in two availability zones named from the region, with no public addresses', () => {
    const subnets = Object.values(stack.resources('aws_subnet'));
    expect(subnets).toHaveLength(2);
    expect(subnets.map((subnet) => subnet.availability_zone)).toEqual([`${REGION}a`, `${REGION}b`]);
    expect(subnets.map((subnet) => subnet.cidr_block)).toEqual(['10.20.0.0/20', '10.20.16.0/20']);
    for (const subnet of subnets) {
      expect(subnet).toMatchObject({ vpc_id: ref('aws_vpc', vpcName), map_public_ip_on_launch: false });
      expect(subnet.tags).toEqual({ Name: `test-report-private-${subnet.availability_zone}` });
    }
  });

  it('has no internet gateway, NAT gateway, elastic IP or route to the internet, and no data source', () => {
    const types = Object.keys(stack.json.resource ?? {});
    for (const forbidden of ['aws_internet_gateway', 'aws_egress_only_internet_gateway', 'aws_nat_gateway', 'aws_eip', 'aws_route']) {
      expect(types).not.toContain(forbidden);
    }
    const [tableName, table] = only('aws_route_table');
    // Managed as empty, so a default route added by hand is removed by the next apply.
    expect(table.route).toEqual([]);
    const associations = Object.values(stack.resources('aws_route_table_association'));
    expect(associations.map((association) => association.subnet_id).sort()).toEqual(subnetNames.map((name) => ref('aws_subnet', name)).sort());
    for (const association of associations) expect(association.route_table_id).toBe(ref('aws_route_table', tableName));
    // Data sources such as aws_availability_zones would call AWS during the offline plan.
    expect(stack.json.data).toBeUndefined();
  });

  it('empties the VPC default security group', () => {
    const [, defaultGroup] = only('aws_default_security_group');
    expect(defaultGroup).toEqual({ vpc_id: ref('aws_vpc', vpcName), tags: { Name: 'test-report-default-unused' } });
  });

  it('has a Secrets Manager interface endpoint with private DNS in both subnets, behind its own group', () => {
    const endpointGroup = groupNamed('test-report-endpoints');
    expect(synthesized).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_id: ref('aws_vpc', vpcName),
      service_name: `com.amazonaws.${REGION}.secretsmanager`,
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
      subnet_ids: subnetNames.map((name) => ref('aws_subnet', name)),
      security_group_ids: [ref('aws_security_group', endpointGroup)],
      tags: { Name: 'test-report-secretsmanager' },
    });
  });

  it('admits 443 to the endpoint only from the allowed group, which gets the matching egress rule', () => {
    const endpointGroup = ref('aws_security_group', groupNamed('test-report-endpoints'));
    const functionGroup = ref('aws_security_group', groupNamed('test-report-fetch-data'));
    const rule = { ip_protocol: 'tcp', from_port: 443, to_port: 443, description: 'HTTPS to the interface VPC endpoints', tags: { Name: 'test-report-endpoint-client-1' } };
    expect(Object.values(stack.resources('aws_vpc_security_group_ingress_rule'))).toEqual([
      { ...rule, security_group_id: endpointGroup, referenced_security_group_id: functionGroup },
    ]);
    expect(Object.values(stack.resources('aws_vpc_security_group_egress_rule'))).toEqual([
      { ...rule, security_group_id: functionGroup, referenced_security_group_id: endpointGroup },
    ]);
  });

  it('makes security groups in the VPC with no inline rules, so nothing is open until a rule says so', () => {
    const groups = Object.values(stack.resources('aws_security_group'));
    expect(groups.map((group) => group.name).sort()).toEqual(['test-report-endpoints', 'test-report-fetch-data']);
    for (const group of groups) {
      expect(group.vpc_id).toBe(ref('aws_vpc', vpcName));
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(group.tags).toEqual({ Name: group.name });
    }
    expect(stack.resources('aws_security_group_rule')).toEqual({});
    for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      for (const rule of Object.values(stack.resources(type))) {
        expect(rule.cidr_ipv4).toBeUndefined();
        expect(rule.cidr_ipv6).toBeUndefined();
        expect(rule.referenced_security_group_id).toEqual(expect.stringMatching(/^\$\{aws_security_group\./));
      }
    }
  });

  it('leaves an egress rule off when the caller manages the client group', () => {
    const app = Testing.app();
    const custom = new TerraformStack(app, 'custom');
    new AwsProvider(custom, 'aws', { region: REGION });
    const network = new PrivateNetwork(custom, 'network', { name: 'x', region: REGION });
    network.allowEndpointAccessFrom('sg-0123456789abcdef0', { egress: false });
    const parsed = SynthesizedStack.parse(Testing.synth(custom));
    expect(Object.values(parsed.resources('aws_vpc_security_group_ingress_rule'))).toEqual([
      expect.objectContaining({ referenced_security_group_id: 'sg-0123456789abcdef0', from_port: 443 }),
    ]);
    expect(parsed.resources('aws_vpc_security_group_egress_rule')).toEqual({});
  });

  it('takes the CIDR block and zones from props', () => {
    const { synthesized: custom, stack: parsed } = synth({ cidrBlock: '172.31.0.0/16', availabilityZoneSuffixes: ['b', 'c', 'd'] });
    expect(custom).toHaveResourceWithProperties(Vpc, { cidr_block: '172.31.0.0/16' });
    expect(custom).toHaveResourceWithProperties(Subnet, { availability_zone: `${REGION}d`, cidr_block: '172.31.32.0/20' });
    expect(Object.values(parsed.resources('aws_vpc_endpoint'))[0].subnet_ids).toHaveLength(3);
  });

  it('refuses fewer than two availability zones', () => {
    expect(() => synth({ availabilityZoneSuffixes: ['a'] })).toThrow(/at least two/);
    expect(() => synth({ availabilityZoneSuffixes: ['a', 'a'] })).toThrow(/at least two/);
  });

  it('exposes the ids a stack wires functions with, as references to the resources', () => {
    const exposed = new NetworkStack(Testing.app(), 'ids');
    const { network } = exposed;
    new TerraformOutput(exposed, 'vpc', { value: network.vpcId });
    new TerraformOutput(exposed, 'subnets', { value: network.subnetIds });
    new TerraformOutput(exposed, 'endpoint-group', { value: network.endpointSecurityGroupId });
    new TerraformOutput(exposed, 'routes', { value: network.routeTableId });
    const outputs = SynthesizedStack.parse(Testing.synth(exposed)).json.output ?? {};
    expect(outputs.vpc.value).toBe(ref('aws_vpc', vpcName));
    expect(outputs.subnets.value).toEqual(subnetNames.map((name) => ref('aws_subnet', name)));
    expect(outputs['endpoint-group'].value).toBe(ref('aws_security_group', groupNamed('test-report-endpoints')));
    expect(outputs.routes.value).toBe(ref('aws_route_table', only('aws_route_table')[0]));
  });
});

describe('cidrSubnet', () => {
  it('computes what Terraform cidrsubnet() does', () => {
    expect(cidrSubnet('10.20.0.0/16', 4, 0)).toBe('10.20.0.0/20');
    expect(cidrSubnet('10.20.0.0/16', 4, 15)).toBe('10.20.240.0/20');
    expect(cidrSubnet('10.20.7.9/16', 8, 3)).toBe('10.20.3.0/24');
    expect(cidrSubnet('192.168.0.0/24', 2, 3)).toBe('192.168.0.192/26');
  });

  it('refuses what does not fit', () => {
    expect(() => cidrSubnet('10.20.0.0/16', 4, 16)).toThrow(/Cannot take/);
    expect(() => cidrSubnet('10.20.0.0/30', 4, 0)).toThrow(/Cannot take/);
    expect(() => cidrSubnet('10.300.0.0/16', 4, 0)).toThrow(/Cannot take/);
    expect(() => cidrSubnet('not-a-cidr', 4, 0)).toThrow(/Not an IPv4/);
  });
});
