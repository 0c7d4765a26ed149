// `pnpm build`: bundles each service entrypoint and the finops CLI into dist/ as plain ESM that `node` runs directly.
//
// Why: through tsx every process pays for the loader and for transpiling the workspace at start-up (an idle worker
// measured 210–240 MB RSS through tsx, ~160 MB from its bundle). The bundles carry every dependency, so the runtime
// image needs dist/ and Node, no install.
// What stays outside the bundles, and why:
// - Bull Board's UI (index.ejs and static/) is read from disk: @bull-board/api finds it with
//   `require.resolve('@bull-board/ui/package.json')`, so those files are copied to dist/node_modules/@bull-board/ui,
//   where that lookup from dist/services/api.mjs lands.
// - msgpackr-extract, msgpackr's optional native accelerator, is a prebuilt .node file located relative to its own
//   package: it is left external and not shipped, and msgpackr falls back to its JavaScript decoder, as it does
//   wherever the native build is missing.
import { cp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type Metafile } from 'esbuild';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The processes the images and the CLI start: bundle (relative to the repository) → its TypeScript entrypoint. */
export const BUILD_ENTRIES = {
  'dist/services/api.mjs': 'services/api/src/main.ts',
  'dist/services/discovery.mjs': 'services/discovery/src/main.ts',
  'dist/services/analysis.mjs': 'services/analysis/src/main.ts',
  'dist/services/optimizer.mjs': 'services/optimizer/src/main.ts',
  'dist/services/reporter.mjs': 'services/reporter/src/main.ts',
  'dist/services/simulated-aws.mjs': 'services/simulated-aws/src/main.ts',
  'dist/cli.mjs': 'packages/cli/src/bin.ts',
} as const satisfies Record<string, string>;

export type BundlePath = keyof typeof BUILD_ENTRIES;

/** Packages left to `require()` at run time (see the header). */
const EXTERNAL = ['msgpackr-extract'];

// Bundled CommonJS (express, ioredis, the AWS SDK, …) calls require() for Node's built-ins, and @bull-board/api
// evaluates `require.resolve(...)`: an ES module has no `require`, so the bundle defines one at its top.
const BANNER = "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);";

export interface BuildOptions {
  /** Where the bundles go. Default: `<repo>/dist`. Emptied first. */
  outDir?: string;
  /** esbuild's log level. Default: `warning` (warnings and errors only). */
  logLevel?: 'silent' | 'error' | 'warning' | 'info';
}

export interface BuildResult {
  outDir: string;
  /** Absolute path of each bundle, by its key in BUILD_ENTRIES. */
  bundles: Record<BundlePath, string>;
  /** Bytes written per output file (relative to outDir), source maps included. */
  outputs: Record<string, number>;
}

/** Where @bull-board/api (a dependency of @finops/api) finds @bull-board/ui: its package directory. */
function bullBoardUiDir(): string {
  const fromApi = createRequire(join(REPO_ROOT, 'packages/api/package.json'));
  // The same lookup @bull-board/api makes, from its own main module.
  const fromBoard = createRequire(fromApi.resolve('@bull-board/api'));
  return dirname(fromBoard.resolve('@bull-board/ui/package.json'));
}

/**
 * Bundles every entry of BUILD_ENTRIES into `outDir` (default dist/) with source maps, and copies Bull Board's UI
 * beside them. Example: `await build()` then `node dist/services/api.mjs`.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const outDir = resolve(options.outDir ?? join(REPO_ROOT, 'dist'));
  await rm(outDir, { recursive: true, force: true });

  const entryPoints = Object.entries(BUILD_ENTRIES).map(([bundle, source]) => ({
    in: join(REPO_ROOT, source),
    // The output name without `dist/` and `.mjs`: esbuild adds the extension and places it under outdir.
    out: bundle.replace(/^dist\//, '').replace(/\.mjs$/, ''),
  }));
  const result = await esbuild({
    absWorkingDir: REPO_ROOT,
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    // One self-contained file per process, no shared chunks: a worker then loads none of the api's code (Express,
    // Bull Board), and `import.meta.url` in bundled code is the bundle itself (packages/cli/src/paths.ts relies on
    // it). Measured on idle workers: ~8 MB less RSS than with code splitting, ~12 MB less with whitespace removed.
    splitting: false,
    minifyWhitespace: true,
    // Without source text: the maps still translate stack positions (NODE_OPTIONS=--enable-source-maps).
    sourcemap: 'linked',
    sourcesContent: false,
    // Error classes take their name from the class (`this.name = new.target.name` in @finops/core, BullMQ's
    // UnrecoverableError): keep every class's `.name` as in the sources, whatever the bundle renames.
    keepNames: true,
    banner: { js: BANNER },
    external: EXTERNAL,
    metafile: true,
    logLevel: options.logLevel ?? 'warning',
  });

  const uiTarget = join(outDir, 'node_modules/@bull-board/ui');
  const uiSource = bullBoardUiDir();
  await mkdir(uiTarget, { recursive: true });
  await cp(join(uiSource, 'package.json'), join(uiTarget, 'package.json'));
  await cp(join(uiSource, 'dist'), join(uiTarget, 'dist'), { recursive: true });

  return {
    outDir,
    bundles: Object.fromEntries(
      Object.keys(BUILD_ENTRIES).map((bundle) => [bundle, join(outDir, bundle.replace(/^dist\//, ''))]),
    ) as Record<BundlePath, string>,
    outputs: outputSizes(result.metafile, outDir),
  };
}

function outputSizes(metafile: Metafile, outDir: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metafile.outputs).map(([file, output]) => [relative(outDir, resolve(REPO_ROOT, file)), output.bytes]),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { outDir, outputs } = await build();
  const bundles = Object.entries(outputs).filter(([file]) => !file.endsWith('.map'));
  for (const [file, bytes] of bundles) console.log(`  ${relative(REPO_ROOT, join(outDir, file))}  ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  console.log(`built ${bundles.length} bundles into ${relative(REPO_ROOT, outDir)}/ in ${((performance.now() - started) / 1000).toFixed(1)}s`);
}
