// Profiles the metrics stage of one partition in-process: the platform's GetMetricData fetch and summaries against
// the simulated CloudWatch, without Redis or queues. Prints wall time, CPU, memory and the stored size of the result.
//   node --import tsx [--cpu-prof --cpu-prof-dir DIR] bench/prof-metrics.ts [resourcesPerRegion=6250]
import { gunzipSync, gzipSync } from 'node:zlib';
import { CALLER_ACCOUNT, createAwsAccess } from '@finops/aws';
import { loadConfig, type Resource, type ResourceKind } from '@finops/core';
import { metricSelection } from '@finops/pipeline';
import { createSimulatedAws } from '@finops/simulator';

const perRegion = Number(process.argv[2] ?? 6250);
if (!Number.isInteger(perRegion) || perRegion <= 0) {
  console.error('usage: node --import tsx bench/prof-metrics.ts [resourcesPerRegion, a positive integer]');
  process.exit(2);
}
const region = 'us-east-1';
const { config } = loadConfig({ env: {}, overrides: { aws: { provider: 'simulated', regions: [region] }, simulation: { resourcesPerRegion: perRegion } } });
const simulator = createSimulatedAws({ ...config.simulation, latencyMs: { min: 0, max: 0 }, throttleRate: 0, rateLimits: false }, [region]);
const accountId = simulator.accounts[0] as string;
const access = createAwsAccess({
  aws: config.aws,
  credentials: { accessKeyId: 'ASIAPROFILE000000000', secretAccessKey: 'profile-secret-access-key' },
  plugins: (scope) => [simulator.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? accountId : scope.accountId })],
});
const scope = { accountId, region };
const select = metricSelection(config);
const metered = [...new Set([...Object.keys(select.utilization), ...Object.keys(select.unused?.metrics ?? {})])] as ResourceKind[];
const resources: Resource[] = [];
for (const kind of metered) resources.push(...(await access.discover(kind, scope)));

const started = performance.now();
const cpu = process.cpuUsage();
const metrics = await access.fetchMetrics(scope, resources, { lookbackDays: config.optimization.lookbackDays, periodSec: config.optimization.metricPeriodSec, select });
const used = process.cpuUsage(cpu);
const memory = process.memoryUsage();
const json = JSON.stringify(metrics);
console.log(
  `${metrics.length} resources with metrics: wall ${Math.round(performance.now() - started)} ms, CPU ${Math.round((used.user + used.system) / 1000)} ms, ` +
    `RSS ${memory.rss >> 20} MB, heap ${memory.heapUsed >> 20} MB; stored ${(json.length / 1e6).toFixed(1)} MB JSON, ` +
    `${(gzipSync(json).length / 1e6).toFixed(2)} MB gzipped (round trip ${JSON.parse(gunzipSync(gzipSync(json)).toString('utf8')).length} entries)`,
);
