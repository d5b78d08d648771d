import { Command } from 'commander';

/** `jobd schema`: the JSON Schema of a job file, from the same definition the daemon validates with. */
export function schemaCommand(done: (code: number) => void): Command {
  return new Command('schema').description('print the job file JSON Schema').action(async () => {
    // Loaded only for this command, so the others start without zod.
    const { jobJsonSchema } = await import('../job/schema.js');
    process.stdout.write(`${JSON.stringify(jobJsonSchema(), null, 2)}\n`);
    done(0);
  });
}
