import { Command, Option } from 'commander';
import { postgresUrl, schemaName } from './cluster-options.js';

/** `jobd db migrate`: creates or migrates the cluster schema without starting a node. */
export function dbCommand(done: (code: number) => void): Command {
  const migrate = new Command('migrate')
    .description('create or migrate the cluster tables (nodes also do it when they start)')
    .addOption(new Option('--cluster <postgres-url>', 'the cluster database').env('JOBD_CLUSTER').argParser(postgresUrl).makeOptionMandatory())
    .addOption(new Option('--cluster-schema <name>', 'schema of the jobd_ tables').env('JOBD_CLUSTER_SCHEMA').argParser(schemaName).default('public'))
    .action(async (options: { cluster: string; clusterSchema: string }) => {
      // Loaded only here: the PostgreSQL client is for cluster commands alone.
      const { migrateDatabase } = await import('../cluster/migrate.js');
      const outcome = await migrateDatabase({ url: options.cluster, schema: options.clusterSchema });
      if (!outcome.ok) {
        process.stderr.write(`jobd: ${outcome.message}\n`);
        return done(1);
      }
      const applied = outcome.applied.length > 0 ? `applied migration ${outcome.applied.join(', ')}` : 'already up to date';
      process.stdout.write(`schema ${options.clusterSchema}: ${applied}; at version ${outcome.version}\n`);
      done(0);
    });
  // Usage errors of the nested command must reach main's exit codes too (2), not exit by themselves.
  return new Command('db').description('cluster database tasks').addCommand(migrate.exitOverride());
}
