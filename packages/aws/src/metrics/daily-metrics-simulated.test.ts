// Daily definitions through the simulated CloudWatch: every day's total is what the hourly datapoints of the
// utilization window add up to, so a check reading per-day totals judges the same numbers at either period.
import { CloudWatchClient, paginateGetMetricData, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { configSchema, type MetricName, type Resource } from '@finops/core';
import { createSimulatedAws } from '@finops/simulator';
import { describe, expect, it } from 'vitest';
import { awsConfig, FAKE_CREDENTIALS, SCOPE } from '../__fixtures__/test-access.js';
import { CALLER_ACCOUNT, createAwsAccess } from '../aws-access.js';
import { metricPlanFor } from './metric-definitions.js';
import { metricWindow } from './plan-metric-batches.js';
import { perDaySeries } from './summarize-metric.js';

const DAY_MS = 86_400_000;

describe('daily metrics against the simulated CloudWatch', () => {
  it('sums each UTC day of the hourly window, the first day whole', async () => {
    const simulation = configSchema.parse({ simulation: { seed: 11, accounts: [SCOPE.accountId], resourcesPerRegion: 150 } }).simulation;
    const sim = createSimulatedAws(simulation, [SCOPE.region]);
    const access = createAwsAccess({
      aws: awsConfig({ regions: [SCOPE.region] }),
      credentials: FAKE_CREDENTIALS,
      // The caller's own identity lookup goes to the simulated account too.
      plugins: (scope) => [sim.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? SCOPE.accountId : scope.accountId })],
    });
    const resources: Resource[] = [];
    for (const kind of ['ec2-instance', 'load-balancer'] as const) resources.push(...(await access.discover(kind, SCOPE)));
    const now = new Date();
    const metrics = await access.fetchMetrics(SCOPE, resources, { lookbackDays: 14, periodSec: 3600, now });
    access.close();

    // The same metrics asked hourly over the hourly window, folded into UTC days.
    const queries: MetricDataQuery[] = [];
    const asked: { resource: Resource; metric: MetricName }[] = [];
    for (const resource of resources) {
      const plan = metricPlanFor(resource);
      for (const definition of plan?.metrics ?? []) {
        if (definition.period !== 'daily') continue;
        asked.push({ resource, metric: definition.metric });
        const Dimensions = [{ Name: plan?.dimension.name, Value: plan?.dimension.value }];
        queries.push({
          Id: `q${queries.length}`,
          MetricStat: {
            Metric: { Namespace: definition.namespace, MetricName: definition.metricName, Dimensions },
            Period: 3600,
            Stat: definition.stat,
          },
        });
      }
    }
    expect([...new Set(asked.map((a) => a.resource.kind))].sort()).toEqual(['ec2-instance', 'load-balancer']);
    const cloudwatch = new CloudWatchClient({ region: SCOPE.region, credentials: FAKE_CREDENTIALS });
    cloudwatch.middlewareStack.use(sim.plugin(SCOPE));
    const window = metricWindow(now, 14, 3600);
    const hourly = new Map<string, { times: number[]; values: number[] }>();
    for (let i = 0; i < queries.length; i += 300) {
      const pages = paginateGetMetricData(
        { client: cloudwatch },
        { MetricDataQueries: queries.slice(i, i + 300), StartTime: window.start, EndTime: window.end, ScanBy: 'TimestampAscending' },
      );
      for await (const page of pages) {
        for (const result of page.MetricDataResults ?? []) {
          const series = hourly.get(result.Id as string) ?? { times: [], values: [] };
          series.times.push(...(result.Timestamps ?? []).map((t) => t.getTime()));
          series.values.push(...(result.Values ?? []));
          hourly.set(result.Id as string, series);
        }
      }
    }
    cloudwatch.destroy();

    const firstDay = new Date(Math.floor(window.start.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    let compared = 0;
    for (const [i, { resource, metric }] of asked.entries()) {
      const summary = metrics.find((m) => m.resourceId === resource.id)?.metrics[metric];
      const days = perDaySeries(hourly.get(`q${i}`) ?? { times: [], values: [] }, 'Sum');
      if (days.times.length === 0) continue;
      expect(summary).toMatchObject({ periodSec: 86400, expectedDatapoints: 14 });
      const daily = new Map(summary?.daily.map((day) => [day.date, day.value]));
      days.times.forEach((time, d) => {
        const date = new Date(time).toISOString().slice(0, 10);
        // The hourly window holds only the first day's later hours; the daily datapoint holds all of them.
        if (date === firstDay) expect(daily.get(date)).toBeGreaterThanOrEqual(days.values[d] as number);
        else expect(daily.get(date)).toBe(days.values[d]);
        compared += 1;
      });
    }
    expect(compared).toBeGreaterThan(100);
  });
});
