import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AuroraMysqlServerless, supportsAutoPause, type AuroraMysqlServerlessProps } from '../../constructs/aurora-mysql-serverless';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';

function scalingOf(props: Partial<AuroraMysqlServerlessProps>) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new AuroraMysqlServerless(stack, 'database', { name: 'coffee', network: { vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'] }, databaseName: 'COFFEE', ...props });
  const synthesized = SynthesizedStack.parse(Testing.synth(stack));
  const [cluster] = Object.values(synthesized.resources('aws_rds_cluster'));
  return cluster.serverlessv2_scaling_configuration;
}

describe('Aurora Serverless v2 at 0 ACU', () => {
  it('pauses after the given idle seconds, 300 unless told', () => {
    expect(scalingOf({ minCapacity: 0, maxCapacity: 4 })).toEqual({ min_capacity: 0, max_capacity: 4, seconds_until_auto_pause: 300 });
    expect(scalingOf({ minCapacity: 0, maxCapacity: 4, secondsUntilAutoPause: 3600 })).toMatchObject({ seconds_until_auto_pause: 3600 });
  });

  it('sets no pause above 0 ACU, where Aurora never pauses', () => {
    expect(scalingOf({ minCapacity: 0.5, maxCapacity: 2 })).toEqual({ min_capacity: 0.5, max_capacity: 2 });
  });

  it('is refused for engines before Aurora MySQL 3.08.0, which cannot pause', () => {
    expect(() => scalingOf({ minCapacity: 0, engineVersion: '8.0.mysql_aurora.3.07.1' })).toThrow(
      'Aurora Serverless v2 pauses at 0 ACU only from Aurora MySQL 3.08.0; engine 8.0.mysql_aurora.3.07.1 needs a minimum of 0.5',
    );
    expect(supportsAutoPause('8.0.mysql_aurora.3.08.0')).toBe(true);
    expect(supportsAutoPause('8.0.mysql_aurora.3.10.2')).toBe(true);
    expect(supportsAutoPause('8.0.mysql_aurora.3.07.1')).toBe(false);
    expect(supportsAutoPause('5.7.mysql_aurora.2.12.0')).toBe(false);
  });
});
