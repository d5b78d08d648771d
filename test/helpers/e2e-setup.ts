import { afterEach, beforeEach } from 'vitest';
import { killLeftoverDaemons } from './start-daemon.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

/** A fresh temp dir per test; afterwards every daemon still running is killed and the dir removed. */
export function useTempDir(): () => TempDir {
  let current: TempDir | undefined;
  beforeEach(async () => {
    current = await makeTempDir();
  });
  afterEach(async () => {
    await killLeftoverDaemons();
    await current?.cleanup();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('temp dir used outside a test');
    return current;
  };
}
