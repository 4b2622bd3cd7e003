import { Construct } from 'constructs';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export interface PrivateNetworkProps {
  /** Prefix of every `Name` tag and security group name, e.g. `dev-report`. */
  readonly name: string;
  /** The provider's region; the subnets' availability zones and the endpoint's service name derive from it. */
  readonly region: string;
  /** @default '10.20.0.0/16' */
  readonly cidrBlock?: string;
  /**
   * One private subnet per suffix, in `${region}${suffix}`. Plain strings rather than an
   * `aws_availability_zones` lookup, so the stack plans with no AWS credentials. Some accounts
   * lack a zone (us-west-1 offers `b` and `c` to some), hence configurable. An Aurora subnet
   * group needs at least two.
   * @default ['a', 'b']
   */
  readonly availabilityZoneSuffixes?: string[];
}

export interface TcpAccess {
  /** The security group that opens connections. */
  readonly from: string;
  /** The security group that accepts them. */
  readonly to: string;
  readonly port: number;
  /** Says, in both rules, who talks to whom and why. */
  readonly description: string;
  /** The `Name` tag of both rules. */
  readonly name: string;
  /**
   * Whether to add the egress rule on `from` too. Groups made by `restrictedSecurityGroup`
   * have no egress at all, so without it the ingress rule alone lets nothing through.
   * @default true; turn it off when `from` belongs to someone else and already allows egress
   */
  readonly egress?: boolean;
}

/**
 * Opens one TCP port from one security group to another. Rules reference groups rather than
 * CIDRs so that only members of `from` get through, whatever addresses they are given.
 */
export function allowTcp(scope: Construct, id: string, access: TcpAccess): void {
  const rule = {
    ipProtocol: 'tcp',
    fromPort: access.port,
    toPort: access.port,
    description: access.description,
    tags: { Name: access.name },
  };
  new VpcSecurityGroupIngressRule(scope, `${id}-ingress`, { ...rule, securityGroupId: access.to, referencedSecurityGroupId: access.from });
  if (access.egress ?? true) {
    new VpcSecurityGroupEgressRule(scope, `${id}-egress`, { ...rule, securityGroupId: access.from, referencedSecurityGroupId: access.to });
  }
}

export interface RestrictedSecurityGroupProps {
  readonly vpcId: string;
  /** Group name and `Name` tag; unique within the VPC. */
  readonly name: string;
  readonly description: string;
}

/**
 * A security group that admits and emits nothing until rules are added with
 * `aws_vpc_security_group_{ingress,egress}_rule` (see `allowTcp`). Terraform revokes the
 * allow-all egress rule AWS adds to a new group, and no inline `ingress`/`egress` is set,
 * because inline rules and rule resources on one group overwrite each other.
 */
export function restrictedSecurityGroup(scope: Construct, id: string, props: RestrictedSecurityGroupProps): SecurityGroup {
  return new SecurityGroup(scope, id, {
    name: props.name,
    description: props.description,
    vpcId: props.vpcId,
    tags: { Name: props.name },
  });
}

const DEFAULT_CIDR_BLOCK = '10.20.0.0/16';
const DEFAULT_ZONE_SUFFIXES = ['a', 'b'];
/** Each subnet takes a /20 of a /16 (4,091 usable addresses): room for Lambda ENIs and a database. */
const SUBNET_NEW_BITS = 4;
const HTTPS = 443;

/**
 * The `index`th subnet of `newBits` more prefix bits inside an IPv4 CIDR, as Terraform's
 * `cidrsubnet` computes it, but at synth time so the JSON and the plan show literal ranges.
 */
export function cidrSubnet(cidrBlock: string, newBits: number, index: number): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidrBlock);
  if (!match) throw new Error(`Not an IPv4 CIDR block: ${cidrBlock}`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  const newPrefix = prefix + newBits;
  if (octets.some((octet) => octet > 255) || newPrefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new Error(`Cannot take subnet ${index} of /${newPrefix} from ${cidrBlock}`);
  }
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const network = address - (address % 2 ** (32 - prefix));
  const subnet = network + index * 2 ** (32 - newPrefix);
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(subnet / 2 ** shift) % 256);
  return `${parts.join('.')}/${newPrefix}`;
}

/**
 * A VPC of private subnets only: no internet gateway and no NAT gateway, so nothing in it
 * reaches or is reached from the internet. Functions inside reach AWS services through VPC
 * endpoints; this one has an interface endpoint for Secrets Manager (database credentials),
 * with private DNS so the SDK's default endpoint resolves to it with no code change.
 *
 * The route table is managed with no routes beyond the implicit local one, so a default
 * route added by hand is removed by the next apply; the VPC's default security group is
 * emptied, so a resource launched without a group gets no access.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: Vpc;
  readonly subnets: Subnet[];
  readonly routeTable: RouteTable;
  readonly endpointSecurityGroup: SecurityGroup;
  readonly secretsManagerEndpoint: VpcEndpoint;
  private readonly name: string;
  private endpointClients = 0;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    this.name = props.name;
    const cidrBlock = props.cidrBlock ?? DEFAULT_CIDR_BLOCK;
    const suffixes = props.availabilityZoneSuffixes ?? DEFAULT_ZONE_SUFFIXES;
    if (new Set(suffixes).size < 2) {
      throw new Error('PrivateNetwork needs at least two distinct availability zone suffixes (an Aurora subnet group spans two zones)');
    }

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock,
      // Private DNS on an interface endpoint needs both: the SDK then resolves
      // secretsmanager.<region>.amazonaws.com to the endpoint's private addresses.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${props.name}-vpc` },
    });

    // With no rules given, Terraform strips the default group's allow-all rules.
    new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-default-unused` },
    });

    this.routeTable = new RouteTable(this, 'private-routes', {
      vpcId: this.vpc.id,
      route: [],
      tags: { Name: `${props.name}-private` },
    });

    this.subnets = suffixes.map((suffix, index) => {
      const availabilityZone = `${props.region}${suffix}`;
      const subnet = new Subnet(this, `private-${suffix}`, {
        vpcId: this.vpc.id,
        availabilityZone,
        cidrBlock: cidrSubnet(cidrBlock, SUBNET_NEW_BITS, index),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${availabilityZone}` },
      });
      new RouteTableAssociation(this, `private-${suffix}-routes`, { subnetId: subnet.id, routeTableId: this.routeTable.id });
      return subnet;
    });

    this.endpointSecurityGroup = restrictedSecurityGroup(this, 'endpoint-security-group', {
      vpcId: this.vpc.id,
      name: `${props.name}-endpoints`,
      description: 'Interface VPC endpoints: HTTPS only from the groups allowed to use them',
    });

    this.secretsManagerEndpoint = new VpcEndpoint(this, 'secretsmanager-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.secretsmanager`,
      vpcEndpointType: 'Interface',
      privateDnsEnabled: true,
      subnetIds: this.subnetIds,
      securityGroupIds: [this.endpointSecurityGroup.id],
      tags: { Name: `${props.name}-secretsmanager` },
    });
  }

  get vpcId(): string {
    return this.vpc.id;
  }

  get subnetIds(): string[] {
    return this.subnets.map((subnet) => subnet.id);
  }

  get routeTableId(): string {
    return this.routeTable.id;
  }

  get endpointSecurityGroupId(): string {
    return this.endpointSecurityGroup.id;
  }

  /**
   * Lets members of a security group call the VPC's interface endpoints on 443, and gives that
   * group the matching egress rule (see `TcpAccess.egress`).
   */
  allowEndpointAccessFrom(securityGroupId: string, options: { egress?: boolean } = {}): void {
    this.endpointClients += 1;
    allowTcp(this, `endpoint-client-${this.endpointClients}`, {
      from: securityGroupId,
      to: this.endpointSecurityGroup.id,
      port: HTTPS,
      description: 'HTTPS to the interface VPC endpoints',
      name: `${this.name}-endpoint-client-${this.endpointClients}`,
      egress: options.egress,
    });
  }

  /** A security group in this VPC with no rules at all: add each flow explicitly. */
  securityGroup(id: string, description: string): SecurityGroup {
    return restrictedSecurityGroup(this, `${id}-security-group`, { vpcId: this.vpc.id, name: `${this.name}-${id}`, description });
  }
}
