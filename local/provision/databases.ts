/**
 * A stack's Aurora clusters, served by the one local MariaDB, with the master login in
 * the local Secrets Manager as RDS keeps a managed master password: a secret of its own.
 * Instances, parameter groups and the network around them have no local counterpart.
 */
import type { Provisioner } from './provisioner';

export const provisionDatabases: Provisioner = async ({ stack, clients, provisioned, onCreated }) => {
  for (const [name, config] of Object.entries(stack.resources('aws_rds_cluster'))) {
    if (!clients.databases) throw new Error('The stack has a database, and no local MariaDB was started for it');
    const { mariadb, secrets } = clients.databases;
    const identifier = String(config.cluster_identifier);
    const { host, port, username, password } = mariadb.credentials;
    const secretArn = secrets.putSecret(`rds!cluster-${identifier}`, JSON.stringify({ username, password }));
    provisioned.databases.set(name, { identifier, host, port, secretArn });
    onCreated({ type: 'database', name: identifier, detail: `MariaDB on ${host}:${port}, login in the local Secrets Manager` });
  }
};
