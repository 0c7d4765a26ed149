// Where the repository's own files are, wherever the CLI is started from.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEMO_CONFIG = resolve(REPO_ROOT, 'config/demo.yaml');

/** The entrypoint of a service, as docker-compose runs it. */
export function serviceEntrypoint(service: string): string {
  return resolve(REPO_ROOT, 'services', service, 'src/main.ts');
}
