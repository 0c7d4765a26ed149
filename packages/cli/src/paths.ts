// Where the repository's own files are, wherever the CLI is started from: its TypeScript sources or its bundle.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FinopsError } from '@finops/core';

/**
 * How a process of this platform is started: `bundle` runs what `pnpm build` wrote to dist/ with plain `node`;
 * `sources` runs the TypeScript entrypoint through tsx.
 */
export type EntrypointSource = 'bundle' | 'sources';

const HERE = fileURLToPath(import.meta.url);

/** How this CLI runs: from dist/cli.mjs, or from packages/cli/src (tsx, vitest). Services start the same way. */
export const CLI_SOURCE: EntrypointSource = HERE.endsWith('.ts') ? 'sources' : 'bundle';

// This module is packages/cli/src/paths.ts, or part of dist/cli.mjs (the build bundles each entry into one file).
export const REPO_ROOT = resolve(dirname(HERE), CLI_SOURCE === 'bundle' ? '..' : '../../..');
export const DEMO_CONFIG = resolve(REPO_ROOT, 'config/demo.yaml');

/** The entrypoint of a service as docker-compose runs it (`dist/services/<name>.mjs`) or its TypeScript source. */
export function serviceEntrypoint(service: string, source: EntrypointSource = CLI_SOURCE): string {
  return source === 'bundle' ? resolve(REPO_ROOT, 'dist/services', `${service}.mjs`) : resolve(REPO_ROOT, 'services', service, 'src/main.ts');
}

/** The finops CLI as an executable script: dist/cli.mjs, or packages/cli/bin/finops.js (which loads the sources through tsx). */
export function cliEntrypoint(source: EntrypointSource = CLI_SOURCE): string {
  return resolve(REPO_ROOT, source === 'bundle' ? 'dist/cli.mjs' : 'packages/cli/bin/finops.js');
}

/**
 * Arguments to `node` that start a service: `[dist/services/api.mjs]`, or `[--import, tsx, services/api/src/main.ts]`.
 * A missing bundle is an error that says to build it.
 */
export function serviceNodeArgs(service: string, source: EntrypointSource = CLI_SOURCE): string[] {
  const entrypoint = serviceEntrypoint(service, source);
  if (source === 'sources') return ['--import', 'tsx', entrypoint];
  if (!existsSync(entrypoint)) {
    throw new FinopsError(`the ${service} service's bundle ${entrypoint} does not exist`, { hint: 'run `pnpm build` first (`pnpm demo` and `pnpm finops` run the sources and need no build)' });
  }
  return [entrypoint];
}
