import { CALLER_ACCOUNT, createAwsAccess } from '@finops/aws';
import { loadConfig } from '@finops/core';
import { metricSelection } from '@finops/pipeline';
import { createSimulatedAws } from '@finops/simulator';
const per = Number(process.argv[2] ?? 6250);
const { config } = loadConfig({ env: {}, ...({ overrides: { aws: { provider: 'simulated', regions: ['us-east-1'] }, simulation: { resourcesPerRegion: per } } }) } as never);
const sim = createSimulatedAws({ ...config.simulation, latencyMs: { min: 0, max: 0 }, throttleRate: 0, rateLimits: false }, ['us-east-1']);
const access = createAwsAccess({ aws: config.aws, credentials: { accessKeyId: 'ASIAX', secretAccessKey: 'x' }, plugins: (s: { accountId: string; region: string }) => [sim.plugin({ ...s, accountId: s.accountId === CALLER_ACCOUNT ? sim.accounts[0]! : s.accountId })] } as never);
const scope = { accountId: sim.accounts[0]!, region: 'us-east-1' };
const kinds = ['ec2-instance','ebs-volume','rds-instance','lambda-function','nat-gateway','load-balancer'] as const;
const resources = [];
for (const k of kinds) resources.push(...(await access.discover(k as never, scope)));
console.log('resources', resources.length);
const t0 = performance.now(); const c0 = process.cpuUsage();
const out = await access.fetchMetrics(scope, resources as never, { lookbackDays: config.optimization.lookbackDays, periodSec: config.optimization.metricPeriodSec, select: metricSelection(config) });
const c = process.cpuUsage(c0);
console.log('metrics', out.length, 'ms', Math.round(performance.now()-t0), 'cpu ms', Math.round((c.user+c.system)/1000), 'rss MB', process.memoryUsage().rss>>20, 'heap MB', process.memoryUsage().heapUsed>>20);
console.log('result json MB', (JSON.stringify(out).length/1e6).toFixed(1), 'resources json MB', (JSON.stringify(resources).length/1e6).toFixed(1));
console.log(JSON.stringify(out[0]).slice(0, 1500));
{
  const { gzipSync, gunzipSync, constants } = await import('node:zlib');
  let t = performance.now(); const json = JSON.stringify(out); const tj = performance.now() - t;
  t = performance.now(); const gz = gzipSync(json); const tg = performance.now() - t;
  t = performance.now(); gzipSync(json, { level: 1 }); const tg1 = performance.now() - t;
  t = performance.now(); JSON.parse(gunzipSync(gz).toString('utf8')); const tp = performance.now() - t;
  console.log('stringify ms', tj.toFixed(0), 'gzip6 ms', tg.toFixed(0), 'gzip1 ms', tg1.toFixed(0), 'gunzip+parse ms', tp.toFixed(0), 'gz MB', (gz.length / 1e6).toFixed(2));
}
