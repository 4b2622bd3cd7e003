import { ITerraformDependable } from 'cdktf';
import { GrantOptions, ServiceRole } from './iam/service-role';

/**
 * Lets `role` read a database's login from Secrets Manager, and no other secret (grant
 * `read-database-secret`). The secret is the one RDS keeps for the stack's own Aurora
 * cluster, or an existing database's from the configuration, so this takes its ARN.
 */
export function grantReadDatabaseSecret(role: ServiceRole, secretArn: string, options: GrantOptions = {}): ITerraformDependable {
  return role.grant(
    'read-database-secret',
    [{ Sid: 'ReadDatabaseLogin', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [secretArn] }],
    options,
  );
}
