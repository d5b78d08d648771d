import type { Command } from 'commander';

const EXAMPLES: Record<string, string[]> = {
  jobd: ['jobd init && jobd start', 'jobd status', 'jobd run backup --wait', 'jobd logs backup -f'],
  start: ['jobd start', 'jobd start --jobs-dir /etc/jobd --state-file /var/lib/jobd/state.json --log-file /var/log/jobd.log', 'JOBD_MAX_CONCURRENCY=4 jobd start --timezone Europe/Paris'],
  validate: ['jobd validate', 'jobd validate jobs.d/backup.json other.d'],
  next: ['jobd next backup', 'jobd next jobs.d/report.json -n 10'],
  schema: ['jobd schema > jobd.schema.json   # then "$schema": "./jobd.schema.json" in a job file'],
  init: ['jobd init', 'jobd init /etc/jobd', 'jobd init --systemd > /etc/systemd/system/jobd.service'],
  status: ['jobd status', 'jobd status --json | jq .counts'],
  run: ['jobd run backup', 'jobd run backup --wait && echo done'],
  cancel: ['jobd cancel backup'],
  pause: ['jobd pause backup'],
  resume: ['jobd resume backup'],
  logs: ['jobd logs --log-file /var/log/jobd.log backup', 'jobd logs -f'],
  db: ['jobd db migrate --cluster postgres://jobd@db.internal/jobd', 'JOBD_CLUSTER=postgres://jobd@db.internal/jobd jobd db migrate --cluster-schema jobd'],
};

/** Adds an "Examples:" section to the help of a command that has some. */
export function withExamples(command: Command): Command {
  const examples = EXAMPLES[command.name()];
  if (!examples) return command;
  return command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}\n`);
}
