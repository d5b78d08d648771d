import { Command } from 'commander';
import { jobJsonSchema } from '../job/schema.js';

/** `jobd schema`: the JSON Schema of a job file, from the same definition the daemon validates with. */
export function schemaCommand(done: (code: number) => void): Command {
  return new Command('schema').description('print the job file JSON Schema').action(() => {
    process.stdout.write(`${JSON.stringify(jobJsonSchema(), null, 2)}\n`);
    done(0);
  });
}
