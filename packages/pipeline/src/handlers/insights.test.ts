// Insights end to end on a real Redis against the simulated account: the injected cost anomalies found (precision,
// recall, false alarms per 1,000 series-days, root cause named to the usage type), alerts raised once, monitoring
// re-runs free of Cost Explorer spend, budgets with both forecasts and an approval request.
import { addDays, daysBetween } from '@finops/anomalies';
import { budgetsRequiringApproval } from '@finops/budgets';
import { configSchema, type Config, type ConfigInput, type CostDataset, type Logger } from '@finops/core';
import { loadPriceTable } from '@finops/pricing';
import { QueueSet, ScanStore } from '@finops/queues';
import { anomalyDetectionSummarySchema, reportAnomalySchema, reportBudgetSchema, type ReportAnomaly } from '@finops/reports';
import type { SimulatedAws } from '@finops/simulator';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { createAwsRuntime, redisSharedAws, type AwsRuntime } from '../aws-runtime.js';
import { InsightState, loadBudgetApprovals } from '../insight-state.js';
import { insightNotification, queueInsightAlerts, runInsights } from './insights.js';
import type { PipelineDeps } from './shared.js';

const logger = pino({ level: 'silent' }) as unknown as Logger;
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
const SEEDS = [42, 7, 2024];

type Injected = ReturnType<SimulatedAws['injectedAnomalies']>[number];

/** The series an injected line adds to. */
const seriesOf = (i: Injected) => ['total', `service:${i.service}`, `region:${i.region}`, `account:${i.accountId}`];
/** Whether a detected anomaly is (a view of) an injected one: a series the line adds to, and overlapping days. */
const matches = (a: ReportAnomaly, i: Injected) => seriesOf(i).includes(a.series) && a.startDate < i.endDate && a.latestDate >= i.startDate;

describe('insights on the simulated account', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const runtimes: AwsRuntime[] = [];
  const queueSets: QueueSet[] = [];

  /** Deps as a worker builds them, on its own key prefix; `now` pinned to the last day of the cost data. */
  async function setup(seed: number, extra: ConfigInput = {}) {
    const prefix = uniquePrefix(`insights-${seed}`);
    prefixes.push(prefix);
    const config: Config = configSchema.parse({
      aws: { provider: 'simulated', regions: REGIONS },
      simulation: { seed, resourcesPerRegion: 60 },
      redis: { prefix },
      ...extra,
    });
    const runtime = createAwsRuntime(config, logger, redisSharedAws(config, redis, logger));
    runtimes.push(runtime);
    const queues = new QueueSet({ connection: redis, prefix, regions: [] });
    queueSets.push(queues);
    const simulator = runtime.simulator as SimulatedAws;
    const dataset: CostDataset = await runtime.access.fetchCosts({ lookbackDays: config.anomalyDetection.lookbackDays, accounts: simulator.accounts });
    const now = new Date(`${addDays(dataset.end, -1)}T12:00:00Z`);
    const deps: PipelineDeps = {
      config,
      store: new ScanStore(redis, { prefix, ttlSeconds: 600 }),
      aws: runtime,
      prices: loadPriceTable(),
      now: () => now,
      queues,
      redis,
    };
    const ceRequests = () => simulator.stats().calls['ce.GetCostAndUsage'] ?? 0;
    return { config, deps, dataset, simulator, ceRequests };
  }

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const runtime of runtimes) runtime.close();
    for (const queues of queueSets) await queues.close();
    for (const prefix of prefixes) await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('finds every injected anomaly, with the root cause named to the usage type, and next to no false alarm', async () => {
    let injectedCount = 0;
    let found = 0;
    let detections = 0;
    let falseAlarms = 0;
    let seriesDays = 0;
    let rootCausesRight = 0;
    let rootCausesJudged = 0;
    for (const seed of SEEDS) {
      const { deps, dataset, simulator, ceRequests } = await setup(seed);
      const injected = simulator.injectedAnomalies();
      const before = ceRequests();
      const result = await runInsights(deps, { dataset, logger });
      const lookupRequests = ceRequests() - before;

      for (const a of result.anomalies) expect(() => reportAnomalySchema.parse(a)).not.toThrow();
      expect(() => anomalyDetectionSummarySchema.parse(result.anomalyDetection)).not.toThrow();
      expect(result.anomalyDetection?.usageTypeRequests).toBe(lookupRequests);
      expect(result.usage.costExplorerRequests).toBe(lookupRequests);

      injectedCount += injected.length;
      found += injected.filter((i) => result.anomalies.some((a) => matches(a, i))).length;
      detections += result.anomalies.length;
      falseAlarms += result.anomalies.filter((a) => !injected.some((i) => matches(a, i))).length;
      seriesDays += result.anomalyDetection?.seriesDaysJudged ?? 0;
      for (const i of injected) {
        for (const a of result.anomalies.filter((x) => matches(x, i))) {
          rootCausesJudged += 1;
          const top = a.rootCauses[0];
          if (top?.service === i.service && top.region === i.region && top.accountId === i.accountId && top.usageType === i.usageType) rootCausesRight += 1;
        }
      }

      // One alert per incident (not per series), only for anomalies recent enough to matter (alertEndedWithinDays).
      const latestDay = addDays(dataset.end, -1);
      const recent = injected.filter((i) => daysBetween(addDays(i.endDate, -1), latestDay) <= deps.config.anomalyDetection.alertEndedWithinDays);
      expect(result.pendingAlerts.map((a) => a.event)).toEqual(recent.map(() => 'critical-anomaly'));
      for (const alert of result.pendingAlerts) {
        expect(alert.message).toContain('USD per day');
        expect(() => insightNotification(alert, { scanId: 'scan-test' })).not.toThrow();
      }
      expect((await new InsightState(deps.redis, deps.config.redis.prefix).pendingAlerts()).map((a) => a.dedupKey).sort()).toEqual(
        result.pendingAlerts.map((a) => a.dedupKey).sort(),
      );

      // A monitoring run on the same cached costs: the same anomalies, no alert again, no Cost Explorer request.
      const again = await runInsights(deps, { dataset, logger });
      expect(again.anomalies.map((a) => a.id)).toEqual(result.anomalies.map((a) => a.id));
      expect(again.pendingAlerts).toEqual([]);
      expect(ceRequests()).toBe(before + lookupRequests);
    }
    const precision = detections ? (detections - falseAlarms) / detections : 1;
    const recall = found / injectedCount;
    const falseAlarmsPer1000 = (falseAlarms / seriesDays) * 1000;
    const rootCauseAccuracy = rootCausesRight / rootCausesJudged;
    console.log(
      `anomalies e2e (seeds ${SEEDS.join(', ')}): injected ${injectedCount}, found ${found}, detections ${detections} over ${seriesDays} series-days, ` +
        `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, false alarms ${falseAlarms} (${falseAlarmsPer1000.toFixed(2)} per 1,000 series-days), ` +
        `root cause right ${rootCausesRight}/${rootCausesJudged} (${rootCauseAccuracy.toFixed(3)})`,
    );
    expect(recall).toBe(1);
    expect(falseAlarmsPer1000).toBeLessThanOrEqual(1);
    expect(rootCauseAccuracy).toBe(1);
  });

  it('reports budgets with both forecasts, alerts each threshold once, and opens one approval request', async () => {
    const { deps, dataset } = await setup(11);
    const lastDay = addDays(dataset.end, -1);
    const monthStart = `${lastDay.slice(0, 7)}-01`;
    const actual = dataset.series.total.filter((d) => d.date >= monthStart).reduce((sum, d) => sum + d.amountUsd, 0);
    const account = dataset.series['account:222222222222'].filter((d) => d.date >= monthStart).reduce((sum, d) => sum + d.amountUsd, 0);
    // Amounts chosen so that actual spend is at 60% of the organization budget and 75% of the account's.
    const withBudgets: PipelineDeps = {
      ...deps,
      config: configSchema.parse({
        ...deps.config,
        budgets: {
          items: [
            { id: 'org', name: 'Organization', amountUsd: Math.ceil(actual / 0.6) },
            { id: 'member', parent: 'org', amountUsd: Math.ceil(account / 0.75), scope: { accounts: ['222222222222'] }, requireApprovalAbovePercent: 70 },
            { id: 'data-team', parent: 'org', amountUsd: 100, scope: { tags: { team: ['data'] } } },
          ],
        },
      }),
    };
    const first = await runInsights(withBudgets, { dataset, logger });
    for (const b of first.budgets) expect(() => reportBudgetSchema.parse(b)).not.toThrow();
    const [org, member, dataTeam] = first.budgets;
    expect(org.actualUsd).toBeCloseTo(actual, 1);
    expect(org.actualPercent).toBeCloseTo(60, 0);
    expect(org.forecast.source).toBe('cost-explorer');
    expect(org.forecast.costExplorerUsd).not.toBeNull();
    expect(org.forecast.platformUsd).not.toBeNull();
    // The simulator forecasts its noise-free baseline; the platform's weekday medians must agree within 10%.
    expect(Math.abs(org.forecast.differencePercent ?? 100)).toBeLessThan(10);
    expect(org.thresholdsCrossed.actual).toEqual([50]);
    expect(member).toMatchObject({ approvalRequired: true, approval: { status: 'pending' }, forecast: { source: 'platform' } });
    expect(dataTeam).toMatchObject({ actualUsd: null, dataNote: expect.stringContaining('no data for tag scope') });

    const budgetAlerts = first.pendingAlerts.filter((a) => a.event === 'budget-threshold').map((a) => a.dedupKey);
    expect(budgetAlerts).toContain(`budget-threshold:org:${monthStart}:actual:50`);
    expect(budgetAlerts).toContain(`budget-threshold:member:${monthStart}:actual:50`);
    expect(first.approvalsOpened.map((a) => a.id)).toEqual([`approval:member:${monthStart}`]);

    const second = await runInsights(withBudgets, { dataset, logger });
    expect(second.pendingAlerts.filter((a) => a.event === 'budget-threshold')).toEqual([]);
    expect(second.approvalsOpened).toEqual([]);

    const prefix = withBudgets.config.redis.prefix;
    expect(budgetsRequiringApproval(await loadBudgetApprovals(redis, prefix), deps.now()).map((a) => a.budgetId)).toEqual(['member']);
    await new InsightState(redis, prefix).decideApproval(`approval:member:${monthStart}`, 'approved', 'ops@example.com', { now: deps.now() });
    expect(budgetsRequiringApproval(await loadBudgetApprovals(redis, prefix), deps.now())).toEqual([]);
    const third = await runInsights(withBudgets, { dataset, logger });
    expect(third.budgets[1].approval).toEqual({ id: `approval:member:${monthStart}`, status: 'approved', decidedBy: 'ops@example.com' });
  });

  it('queues raised alerts for the subscribed channels once, then acknowledges them', async () => {
    const { deps, dataset, simulator } = await setup(42, {
      notifications: { enabled: true, channels: [{ id: 'ops-hook', type: 'webhook', url: 'https://hooks.example.com/finops', events: ['critical-anomaly'] }] },
    });
    const result = await runInsights(deps, { dataset, logger });
    expect(result.pendingAlerts.length).toBeGreaterThan(0);
    expect(simulator.injectedAnomalies().length).toBeGreaterThanOrEqual(result.pendingAlerts.length);
    const queued = await queueInsightAlerts(deps, { scanId: 'scan-test', logger });
    expect(queued.sort()).toEqual(result.pendingAlerts.map((a) => a.dedupKey).sort());
    expect(await queueInsightAlerts(deps, { scanId: 'scan-test', logger })).toEqual([]);
    const jobs = await deps.queues.get('notifications').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data.notification.dedupKey).sort()).toEqual(queued.sort());
    expect(jobs.every((j) => j.data.channelId === 'ops-hook' && j.data.notification.event === 'critical-anomaly')).toBe(true);
  });

  it('reports older cost data (a late retry of an old scan) without moving the state back', async () => {
    const { deps, dataset } = await setup(7);
    const fresh = await runInsights(deps, { dataset, logger });
    const end = addDays(dataset.end, -10);
    const older: CostDataset = {
      ...dataset,
      end,
      series: Object.fromEntries(Object.entries(dataset.series).map(([k, days]) => [k, days.filter((d) => d.date < end)])),
      breakdown: dataset.breakdown.filter((d) => d.date < end),
    };
    const state = new InsightState(deps.redis, deps.config.redis.prefix);
    const before = await state.loadAnomalies();
    const late = await runInsights(deps, { dataset: older, logger });
    expect(late.anomalyDetection?.note).toContain('newer cost data was evaluated before');
    expect(late.pendingAlerts).toEqual([]);
    expect(await state.loadAnomalies()).toEqual(before);
    expect(fresh.anomalies.length).toBeGreaterThan(0);
  });

  it('lists budgets without numbers, and no anomalies, when the scan has no cost data', async () => {
    const { deps } = await setup(5, { budgets: { items: [{ id: 'org', amountUsd: 1000 }] } });
    const result = await runInsights(deps, { dataset: undefined, noDataReason: 'Cost Explorer is not enabled', logger });
    expect(result.anomalies).toEqual([]);
    expect(result.anomalyDetection).toBeUndefined();
    expect(result.budgets).toHaveLength(1);
    expect(result.budgets[0]).toMatchObject({ actualUsd: null, dataNote: 'no cost data: Cost Explorer is not enabled' });
    expect(result.pendingAlerts).toEqual([]);
  });
});
