// Checks docker-compose.yml, the Dockerfile and config/docker.yaml against each other and the repository, without Docker.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { serviceEntrypoint } from '@finops/cli';
import { configSchema, loadConfig, type Config } from '@finops/core';
import { checkScheduleOptions, scheduleDefinitions, servedRegions } from '@finops/pipeline';
import { BUILD_ENTRIES } from '../../scripts/build.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const DOCKERFILE = join(ROOT, 'Dockerfile');

/** The parts of a Compose file these tests read. */
interface ComposeHealthcheck {
  test?: string[];
}
interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: ComposeHealthcheck;
  depends_on?: Record<string, { condition?: string }>;
  deploy?: { replicas?: number | string };
  profiles?: string[];
  restart?: string;
  env_file?: Array<string | { path: string; required?: boolean }>;
  ports?: Array<string | { target: number; published?: string | number; host_ip?: string }>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Service → the process it runs; discovery-eu is a second discovery pool. */
const APP_SERVICES: Record<string, string> = {
  api: 'api',
  discovery: 'discovery',
  'discovery-eu': 'discovery',
  analysis: 'analysis',
  optimizer: 'optimizer',
  reporter: 'reporter',
};
const WORKER_POOLS = ['discovery', 'analysis', 'optimizer', 'reporter'];
const CONTAINER_CONFIG_PATH = '/config/config.yaml';
/** `env_file` entries with `required` need Compose 2.24 or later. */
const MIN_COMPOSE_VERSION = [2, 24];

// Merge keys (`<<: *finops-app`) are YAML 1.1; Compose resolves them, so the parser must too.
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
const services = compose.services;

/** The host side of the bind mount that lands on `containerPath`, if the service has one. */
function hostPathMountedAt(service: ComposeService, containerPath: string): { host: string; readOnly: boolean } | undefined {
  for (const volume of service.volumes ?? []) {
    const [host, target, mode] = volume.split(':');
    if (target === containerPath) return { host, readOnly: mode === 'ro' };
  }
  return undefined;
}

/** The config file a service mounts, loaded the way its process will load it (the service's environment applied). */
function loadServiceConfig(name: string): Config {
  const service = services[name];
  const mount = hostPathMountedAt(service, CONTAINER_CONFIG_PATH);
  if (!mount) throw new Error(`${name} mounts nothing at ${CONTAINER_CONFIG_PATH}`);
  // FINOPS_CONFIG names the path inside the container; on this side the mounted file is given directly.
  const { FINOPS_CONFIG: _containerPath, ...environment } = service.environment ?? {};
  const env = { ...environment, FINOPS_API_TOKEN: 'a-token-of-at-least-16-characters' };
  return loadConfig({ configFile: mount.host, cwd: ROOT, env }).config;
}

/** Port and path a healthcheck probes, from the URL that follows the node probe script. */
function probedUrl(service: ComposeService): URL {
  const test = service.healthcheck?.test ?? [];
  const url = test.find((part) => /^https?:\/\//.test(part));
  if (!url) throw new Error(`healthcheck ${JSON.stringify(test)} probes no URL`);
  return new URL(url);
}

/** The Dockerfile's instructions as [keyword, arguments], continuation lines joined, comments dropped. */
function dockerfileInstructions(): Array<[string, string]> {
  const text = readFileSync(DOCKERFILE, 'utf8').replace(/\\\r?\n/g, ' ');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return [keyword.toUpperCase(), rest.join(' ')];
    });
}

/** The TypeScript entrypoint scripts/build.ts bundles into `bundle` (a path relative to the repository), if any. */
function bundleSource(bundle: string | undefined): string | undefined {
  return Object.entries(BUILD_ENTRIES).find(([path]) => path === bundle)?.[1];
}

/** `major.minor` of a Compose v2 CLI that runs without an engine, or undefined. */
function composeCli(): { command: string[]; version: number[] } | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const result = spawnSync(command[0], [...command.slice(1), 'version', '--short'], { encoding: 'utf8', timeout: 10_000 });
    const match = result.status === 0 ? /^v?(\d+)\.(\d+)/.exec(result.stdout.trim()) : null;
    if (match) return { command, version: [Number(match[1]), Number(match[2])] };
  }
  return undefined;
}

function atLeast(version: number[], minimum: number[]): boolean {
  return version[0] > minimum[0] || (version[0] === minimum[0] && version[1] >= minimum[1]);
}

describe('docker-compose.yml', () => {
  it('defines redis, the api and the four worker pools', () => {
    for (const name of ['redis', 'api', ...WORKER_POOLS]) expect(services, name).toHaveProperty(name);
  });

  it('runs redis append-only with noeviction, on a named volume, checked with redis-cli ping', () => {
    const redis = services.redis;
    expect(redis.command?.join(' ')).toContain('--appendonly yes');
    expect(redis.command?.join(' ')).toContain('--maxmemory-policy noeviction');
    const dataVolume = redis.volumes?.find((volume) => volume.endsWith(':/data'))?.split(':')[0];
    expect(compose.volumes ?? {}).toHaveProperty(dataVolume ?? '(none)');
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it.each(Object.entries(APP_SERVICES))('%s runs the %s bundle that `pnpm build` makes of that service entrypoint', (name, process) => {
    const command = services[name].command ?? [];
    expect(command).toEqual(['node', `dist/services/${process}.mjs`]);
    const source = bundleSource(command[1]);
    expect(source).toBe(`services/${process}/src/main.ts`);
    expect(existsSync(join(ROOT, source ?? '')), `${source} is missing`).toBe(true);
    // The CLI (`finops demo` from dist/cli.mjs, the bench) starts the same file.
    expect(serviceEntrypoint(process, 'bundle')).toBe(join(ROOT, command[1]));
  });

  it.each(Object.keys(APP_SERVICES))('%s shares the image, waits for a healthy redis and restarts', (name) => {
    const service = services[name];
    expect(service.image).toBe(services.api.image);
    expect(service.depends_on?.redis?.condition).toBe('service_healthy');
    expect(service.restart).toBe('unless-stopped');
    expect(service.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(service.env_file).toEqual([{ path: '.env', required: false }]);
  });

  it.each(Object.keys(APP_SERVICES))('%s mounts config/docker.yaml read-only where FINOPS_CONFIG points', (name) => {
    const service = services[name];
    expect(service.environment?.FINOPS_CONFIG).toBe(CONTAINER_CONFIG_PATH);
    const mount = hostPathMountedAt(service, CONTAINER_CONFIG_PATH);
    expect(mount).toEqual({ host: './config/docker.yaml', readOnly: true });
    expect(existsSync(join(ROOT, mount?.host ?? ''))).toBe(true);
  });

  it.each(Object.keys(APP_SERVICES))('%s loads its mounted config with its environment', (name) => {
    const config = loadServiceConfig(name);
    expect(config.redis.url).toBe('redis://redis:6379');
    // A container must use the redis service, never start or look for one of its own.
    expect(config.redis.managed.enabled).toBe(false);
    expect(config.redis.managed.useLocalDefault).toBe(false);
    expect(config.api.auth).toEqual({ type: 'bearer', token: 'a-token-of-at-least-16-characters' });
  });

  it('publishes the api port the config listens on, on every interface inside the container', () => {
    const config = loadServiceConfig('api');
    expect(config.api.host).toBe('0.0.0.0');
    const url = probedUrl(services.api);
    expect(url.pathname).toBe('/readyz');
    expect(Number(url.port)).toBe(config.api.port);
    // Loopback on the host unless API_BIND says otherwise: the write API should not face a network by default.
    expect(services.api.ports).toEqual([{ target: config.api.port, host_ip: '${API_BIND:-127.0.0.1}', published: '${API_PORT:-3000}' }]);
  });

  it.each(Object.keys(APP_SERVICES).filter((name) => name !== 'api'))(
    '%s healthcheck probes /healthz on workers.healthPort',
    (name) => {
      const config = loadServiceConfig(name);
      expect(config.workers.healthPort).toBeGreaterThan(0);
      const url = probedUrl(services[name]);
      expect(url.pathname).toBe('/healthz');
      expect(Number(url.port)).toBe(config.workers.healthPort);
      expect(services[name].healthcheck?.test?.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    },
  );

  it.each(WORKER_POOLS.map((pool) => [pool, `${pool.toUpperCase()}_REPLICAS`]))('%s replicas are set by %s', (pool, variable) => {
    expect(String(services[pool].deploy?.replicas)).toMatch(new RegExp(`^\\$\\{${variable}:-[1-9]\\d*\\}$`));
  });

  it('has the reporter write to the reports volume and the api read it', () => {
    const config = loadServiceConfig('reporter');
    const reporterMount = services.reporter.volumes?.find((volume) => volume.split(':')[1] === config.reporting.outputDir);
    const apiMount = services.api.volumes?.find((volume) => volume.split(':')[1] === config.reporting.outputDir);
    expect(reporterMount).toBe(`reports:${config.reporting.outputDir}`);
    expect(apiMount).toBe(`reports:${config.reporting.outputDir}:ro`);
    expect(compose.volumes ?? {}).toHaveProperty('reports');
  });

  it('keeps the region-pinned discovery pool opt-in, pinned to scanned regions', () => {
    const pool = services['discovery-eu'];
    expect(pool.profiles).toEqual(['regional']);
    const regions = (pool.environment?.FINOPS_WORKER_REGIONS ?? '').split(',');
    expect(regions).toEqual(['eu-west-1', 'eu-central-1']);
    // Valid region names for workers.regions, and among the regions the stack scans.
    expect(configSchema.parse({ workers: { regions } }).workers.regions).toEqual(regions);
    const scanned = loadServiceConfig('discovery-eu').aws.regions;
    for (const region of regions) expect(scanned).toContain(region);
  });

  it('passes the Compose Specification schema and lint errors (dclint)', () => {
    const bin = join(dirname(createRequire(import.meta.url).resolve('dclint/package.json')), 'bin', 'dclint.cjs');
    const result = spawnSync(process.execPath, [bin, '--quiet', '--no-color', COMPOSE_FILE], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });

  const cli = composeCli();
  const usable = cli !== undefined && atLeast(cli.version, MIN_COMPOSE_VERSION);
  const reason = cli ? `${cli.command.join(' ')} ${cli.version.join('.')} is older than 2.24` : 'no Compose v2 CLI installed';
  it.skipIf(!usable)(`is accepted by \`docker compose config\`${usable ? '' : ` (skipped: ${reason})`}`, () => {
    const [command, ...args] = cli?.command ?? [];
    const result = spawnSync(command, [...args, '--profile', 'regional', 'config', '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
  });
});

/** Compose's `${VAR}` / `${VAR:-default}` substitution, with `env` as the shell environment. */
function substitute(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] || fallback || '');
}

/** The regions a worker pool serves when started with `env` (as bootstrap reads FINOPS_WORKER_REGIONS). */
function poolRegions(name: string, env: Record<string, string>): string[] {
  const service = services[name];
  const pinned = substitute(service.environment?.FINOPS_WORKER_REGIONS ?? '', env).split(',').filter(Boolean);
  const config = loadServiceConfig(name);
  return servedRegions(pinned.length ? { ...config, workers: { ...config.workers, regions: pinned } } : config);
}

describe('docker-compose.yml operations', () => {
  it('documents every variable it substitutes in .env.example', () => {
    const used = new Set([...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/\$\{(\w+)/g)].map((m) => m[1]));
    const documented = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const name of used) expect(documented, `${name} is not in .env.example`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('runs the scheduler in the api and each role in its worker entrypoint', () => {
    expect(readFileSync(join(ROOT, 'services/api/src/main.ts'), 'utf8')).toMatch(/startApiService\(await bootstrap\(\{ service: 'api' \}\)\)/);
    for (const role of WORKER_POOLS) {
      expect(readFileSync(join(ROOT, `services/${role}/src/main.ts`), 'utf8')).toContain(`runWorkerProcess(await bootstrap({ service: '${role}' }), ['${role}'])`);
    }
  });

  it('splits the regions between the default and the EU discovery pools when DISCOVERY_REGIONS is set', () => {
    const scanned = loadServiceConfig('discovery').aws.regions as string[];
    expect(poolRegions('discovery', {})).toEqual(scanned);
    const split = { DISCOVERY_REGIONS: 'us-east-1' };
    const pools = [...poolRegions('discovery', split), ...poolRegions('discovery-eu', split)];
    expect(pools.sort()).toEqual([...scanned].sort());
    expect(new Set(pools).size).toBe(pools.length);
  });

  it('ships valid schedules in config/docker.yaml', () => {
    const config = loadServiceConfig('api');
    expect(checkScheduleOptions(config.schedules)).toEqual([]);
    expect(scheduleDefinitions(config.schedules).filter((d) => d.enabled).map((d) => d.id)).toEqual(['daily-optimization', 'weekly-report']);
    expect(config.api.metrics.enabled).toBe(true);
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions();
  const stages = instructions.flatMap(([keyword, args], index) => (keyword === 'FROM' ? [index] : []));
  const finalStage = instructions.slice(stages[stages.length - 1]);

  it('builds every stage on Node 22 or later', () => {
    // ARGs before the first FROM are the ones FROM lines may use.
    const globalArgs = new Map(
      instructions
        .slice(0, stages[0])
        .filter(([keyword]) => keyword === 'ARG')
        .map(([, args]) => args.split('=') as [string, string]),
    );
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const index of stages) {
      const image = instructions[index][1].split(/\s+/)[0].replace(/\$\{(\w+)\}/g, (_, name: string) => globalArgs.get(name) ?? '');
      const major = /^node:(\d+)/.exec(image)?.[1];
      expect(Number(major), `FROM ${image}`).toBeGreaterThanOrEqual(22);
    }
  });

  it('bundles the services in the build stage and ships only the bundles', () => {
    const buildStages = instructions.slice(0, stages[stages.length - 1]);
    expect(buildStages.some(([keyword, args]) => keyword === 'RUN' && /(^|&&\s*)pnpm build(\s|$)/.test(args))).toBe(true);
    const copies = finalStage.filter(([keyword]) => keyword === 'COPY').map(([, args]) => args.split(/\s+/));
    expect(copies).toEqual([['--from=build', '/app/dist', '/app/dist']]);
    expect(finalStage.filter(([keyword]) => keyword === 'WORKDIR').map(([, args]) => args)).toEqual(['/app']);
  });

  it('starts the api bundle by default', () => {
    const cmd = finalStage.filter(([keyword]) => keyword === 'CMD').map(([, args]) => JSON.parse(args) as string[]);
    expect(cmd).toEqual([['node', 'dist/services/api.mjs']]);
    expect(bundleSource(cmd[0][1])).toBe('services/api/src/main.ts');
  });

  it('runs as a non-root user with a healthcheck', () => {
    const users = finalStage.filter(([keyword]) => keyword === 'USER').map(([, args]) => args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    expect(finalStage.some(([keyword, args]) => keyword === 'HEALTHCHECK' && args.includes('node'))).toBe(true);
  });

  it('keeps host installs and secrets out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/).map((line) => line.trim());
    for (const pattern of ['**/node_modules', '.env', '.env.*', '.git']) expect(ignored).toContain(pattern);
  });
});
