// `finops demo`: the whole stack on this machine — managed Redis, the five services as processes, one scan.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { createLogger, findFreePort, loadConfig, resolveRedis, type RedisHandle } from '@finops/core';
import { bootstrap, startScan, waitForScan, type ServiceContext } from '@finops/pipeline';
import type { Report } from '@finops/reports';
import { optionsOf, type CommandRegistration } from '../cli-runtime.js';
import { DEMO_CONFIG, REPO_ROOT } from '../paths.js';
import { ScanProgressView } from '../progress.js';
import { startServiceProcess, stopServiceProcess, waitForHttp, type ServiceProcess } from '../service-processes.js';
import { formatSummary } from '../summary.js';

export const DEMO_SERVICES = ['api', 'discovery', 'analysis', 'optimizer', 'reporter'] as const;

export interface DemoOptions {
  config?: string;
  keep?: boolean;
  timeoutSec: number;
}

/** Returns the exit code: 0 when the scan completed without errors, 1 with errors or a stalled scan. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const configFile = resolve(options.config ?? DEMO_CONFIG);
  const { config } = loadConfig({ configFile });
  const logger = createLogger({ ...config.logging, level: 'warn' }, { service: 'demo' });
  const out = (line: string) => process.stdout.write(`${line}\n`);

  const redis: RedisHandle = await resolveRedis(config, logger, { cwd: REPO_ROOT });
  out(`Redis: ${redis.origin} at ${redis.url.replace(/\/\/[^@]*@/, '//***@')}`);
  const apiPort = await findFreePort();
  const env = { ...process.env, FINOPS_CONFIG: configFile, REDIS_URL: redis.url, FINOPS_API_PORT: String(apiPort) };
  const logDir = resolve(REPO_ROOT, '.finops/logs');
  const processes: ServiceProcess[] = DEMO_SERVICES.map((name) => startServiceProcess(name, { env, logDir }));
  out(`Services: ${DEMO_SERVICES.join(', ')} started as processes (logs in ${logDir})`);

  let ctx: ServiceContext | undefined;
  const stopAll = async () => {
    await ctx?.close();
    await Promise.all(processes.map((p) => stopServiceProcess(p)));
    await redis.stop();
  };
  const crashed = () => processes.find((p) => p.child.exitCode !== null);
  const onSignal = () => {
    out('\nStopping…');
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const boardUrl = `http://127.0.0.1:${apiPort}/admin/queues`;
    await waitForHttp(`http://127.0.0.1:${apiPort}/readyz`, 60_000, () => !crashed());
    // The demo's own producer logs only warnings: the terminal shows progress, the services log to files.
    ctx = await bootstrap({ service: 'demo', argv: ['--config', configFile], env: { ...env, FINOPS_LOG_LEVEL: 'warn' } });
    const plan = await startScan(ctx, { trigger: 'demo' });
    out(`Scan ${plan.scanId}: ${plan.accounts.length} accounts × ${plan.regions.length} regions × ${plan.kinds.length} resource kinds`);
    const view = new ScanProgressView(Date.now());
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), options.timeoutSec * 1000);
    const watchdog = setInterval(() => crashed() && abort.abort(), 500);
    const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, {
      signal: abort.signal,
      onProgress: (p) => view.show(p),
    }).finally(() => {
      clearTimeout(timeout);
      clearInterval(watchdog);
      view.done();
    });
    const dead = crashed();
    if (dead) {
      out(`The ${dead.name} service exited (code ${dead.child.exitCode}); see ${dead.logFile}`);
      return 1;
    }
    if (progress.status !== 'completed' || !progress.reportDir) {
      out(`Scan did not complete: ${progress.status}${abort.signal.aborted ? ` (timed out after ${options.timeoutSec}s)` : ''}`);
      for (const job of progress.failedJobs) out(`  failed job ${job.id} on ${job.queue}: ${job.reason}`);
      out(`Retry failed jobs at ${boardUrl}`);
      return 1;
    }
    const report = JSON.parse(await readFile(join(progress.reportDir, 'report.json'), 'utf8')) as Report;
    const auth = config.api.auth;
    const hint = auth === undefined || auth === 'none' ? undefined : auth.type === 'basic' ? `user ${auth.username}, password from ${configFile}` : 'bearer token from the config';
    out('');
    out(formatSummary(report, { reportDir: progress.reportDir, boardUrl, boardAuthHint: hint }));
    if (options.keep) {
      out('\nThe stack keeps running (--keep): press Ctrl-C to stop it.');
      await new Promise(() => undefined);
    }
    return report.errors.length ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

export const registerDemo: CommandRegistration = (program, cli) => {
  program
    .command('demo')
    .description('run the whole stack locally against the simulated AWS account and print the scan summary')
    .option('--keep', 'keep the stack running after the scan, for Bull Board')
    .option('--timeout <seconds>', 'give up after this many seconds', '600')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ keep?: boolean; timeout: string }>(command);
      cli.setCode(await runDemo({ config: o.config, keep: o.keep, timeoutSec: Number(o.timeout) }));
    });
};
