import { initialSchema } from './001-initial.js';
import { nodeDefinitions } from './002-node-definitions.js';
import { controlFlags } from './003-control.js';
import { resumeRuns } from './004-resume.js';

/** One step of the schema; applied once, in version order, never edited after release. */
export interface Migration {
  version: number;
  name: string;
  sql(schema: string): string;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initialSchema },
  { version: 2, name: 'node definitions', sql: nodeDefinitions },
  { version: 3, name: 'control flags', sql: controlFlags },
  { version: 4, name: 'resume runs', sql: resumeRuns },
];
