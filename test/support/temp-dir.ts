// Temporary directories for a test file: each test's are removed after it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * Registers the clean-up and returns a maker of fresh directories named `<prefix>…` under the OS's temp dir.
 *
 * @example
 * const tempDir = useTempDirs('finops-reports-');
 * it('writes', async () => { const dir = await tempDir(); … });
 */
export function useTempDirs(prefix: string): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
