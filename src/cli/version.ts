import { readFileSync } from 'node:fs';

/** The version in package.json, for `--version` and `daemon.start`. */
export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
