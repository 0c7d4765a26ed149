// Cost Explorer through the real client: daily costs, groupings, filters, paging, anomalies and forecasts.
import {
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type CostExplorerClient,
  type Expression,
  type GetCostAndUsageCommandInput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, MEMBER, sdkClients, simulationOptions } from './test-support.js';

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-northeast-1'];
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every page of a GetCostAndUsage answer, following NextPageToken. */
async function costAndUsage(ce: CostExplorerClient, input: GetCostAndUsageCommandInput): Promise<{ results: ResultByTime[]; pages: number }> {
  const results: ResultByTime[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
    results.push(...(page.ResultsByTime ?? []));
    token = page.NextPageToken;
    pages += 1;
  } while (token);
  return { results, pages };
}

const totalOf = (r: ResultByTime) => Number(r.Total?.UnblendedCost?.Amount ?? Number.NaN);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('Cost Explorer', () => {
  const sim = createSimulatedAws(simulationOptions(), REGIONS);
  const { ce } = sdkClients(sim, MANAGEMENT, 'us-east-1');

  it('serves 13 months of daily cost in pages, up to yesterday', async () => {
    const start = new Date(today);
    start.setUTCMonth(start.getUTCMonth() - 13, 1);
    const { results, pages } = await costAndUsage(ce, {
      TimePeriod: { Start: iso(start.getTime()), End: iso(today + 5 * DAY) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'NetUnblendedCost'],
    });
    const days = Math.round((today - start.getTime()) / DAY);
    expect(results).toHaveLength(days);
    expect(pages).toBe(Math.ceil(days / 60));
    expect(results[results.length - 1].TimePeriod?.End).toBe(iso(today));
    expect(results.every((r) => totalOf(r) > 0 && r.Total?.NetUnblendedCost?.Unit === 'USD')).toBe(true);
    // Gentle growth: the last month costs more than the first, by less than half.
    const first = results.slice(0, 28).reduce((s, r) => s + totalOf(r), 0);
    const last = results.slice(-88, -60).reduce((s, r) => s + totalOf(r), 0);
    expect(last).toBeGreaterThan(first);
    expect(last).toBeLessThan(first * 1.5);
    const tooOld = new Date(start);
    tooOld.setUTCMonth(tooOld.getUTCMonth() - 1);
    const error = await errorOf(() => ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: iso(tooOld.getTime()), End: iso(today) }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] })));
    expect(error.name).toBe('ValidationException');
  });

  it('groups by up to two dimensions and filters by dimension', async () => {
    const period = { Start: iso(today - 14 * DAY), End: iso(today) };
    const { results } = await costAndUsage(ce, {
      TimePeriod: period,
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    });
    const keys = new Set(results.flatMap((r) => (r.Groups ?? []).map((g) => g.Keys?.[0])));
    expect(keys).toEqual(new Set([MANAGEMENT, MEMBER]));
    const services = new Set(results.flatMap((r) => (r.Groups ?? []).map((g) => g.Keys?.[1])));
    expect(services.has('Amazon Elastic Compute Cloud - Compute')).toBe(true);
    expect(services.has('EC2 - Other')).toBe(true);
    const ungrouped = await costAndUsage(ce, { TimePeriod: period, Granularity: 'DAILY', Metrics: ['UnblendedCost'] });
    results.forEach((r, i) => {
      const sum = (r.Groups ?? []).reduce((s, g) => s + Number(g.Metrics?.UnblendedCost?.Amount), 0);
      expect(sum).toBeCloseTo(totalOf(ungrouped.results[i]), 4);
    });
    const filter: Expression = {
      And: [
        { Dimensions: { Key: 'REGION', Values: ['eu-west-1'] } },
        { Not: { Dimensions: { Key: 'SERVICE', Values: ['AWS Lambda'] } } },
      ],
    };
    const filtered = await costAndUsage(ce, { TimePeriod: period, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'REGION' }, { Type: 'DIMENSION', Key: 'SERVICE' }], Filter: filter });
    const groups = filtered.results.flatMap((r) => r.Groups ?? []);
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((g) => g.Keys?.[0] === 'eu-west-1' && g.Keys?.[1] !== 'AWS Lambda')).toBe(true);
    const threeKeys = await errorOf(() =>
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: period,
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          GroupBy: ['SERVICE', 'REGION', 'USAGE_TYPE'].map((Key) => ({ Type: 'DIMENSION' as const, Key: Key as 'SERVICE' })),
        }),
      ),
    );
    expect(threeKeys.name).toBe('ValidationException');
  });

  it('shows a member account only its own costs', async () => {
    const member = sdkClients(sim, MEMBER, 'us-east-1').ce;
    const { results } = await costAndUsage(member, {
      TimePeriod: { Start: iso(today - 3 * DAY), End: iso(today) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
    });
    expect(new Set(results.flatMap((r) => (r.Groups ?? []).map((g) => g.Keys?.[0])))).toEqual(new Set([MEMBER]));
  });

  it('has weekly seasonality: compute costs less at weekends', async () => {
    const { results } = await costAndUsage(ce, {
      TimePeriod: { Start: iso(today - 56 * DAY), End: iso(today) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: ['BoxUsage:c6i.xlarge'], MatchOptions: ['ENDS_WITH'] } },
    });
    const weekend = results.filter((r) => [0, 6].includes(new Date(`${r.TimePeriod?.Start}T00:00:00Z`).getUTCDay())).map(totalOf);
    const weekday = results.filter((r) => ![0, 6].includes(new Date(`${r.TimePeriod?.Start}T00:00:00Z`).getUTCDay())).map(totalOf);
    expect(median(weekend)).toBeLessThan(median(weekday) * 0.9);
  });

  it('makes every injected anomaly stand out on its own line and in the total', async () => {
    const anomalies = sim.injectedAnomalies();
    expect(anomalies).toHaveLength(3);
    const total = await costAndUsage(ce, { TimePeriod: { Start: iso(today - 90 * DAY), End: iso(today) }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] });
    const totalByDay = new Map(total.results.map((r) => [r.TimePeriod?.Start as string, totalOf(r)]));
    for (const anomaly of anomalies) {
      const startMs = Date.parse(`${anomaly.startDate}T00:00:00Z`);
      expect(anomaly.extraUsdPerDay).toBeGreaterThan(0);
      expect(startMs).toBeGreaterThan(today - 60 * DAY);
      const { results } = await costAndUsage(ce, {
        TimePeriod: { Start: iso(startMs - 28 * DAY), End: anomaly.endDate },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        Filter: {
          And: [
            { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [anomaly.accountId] } },
            { Dimensions: { Key: 'REGION', Values: [anomaly.region] } },
            { Dimensions: { Key: 'USAGE_TYPE', Values: [anomaly.usageType] } },
          ],
        },
      });
      const before = results.filter((r) => (r.TimePeriod?.Start as string) < anomaly.startDate).map(totalOf);
      const during = results.filter((r) => (r.TimePeriod?.Start as string) >= anomaly.startDate).map(totalOf);
      expect(during.length).toBeGreaterThanOrEqual(3);
      for (const cost of during) expect(cost - median(before)).toBeGreaterThan(anomaly.extraUsdPerDay * 0.9);
      const baselineTotal = median(before.map((_, i) => totalByDay.get(iso(startMs - (28 - i) * DAY)) ?? 0));
      for (const r of results.filter((x) => (x.TimePeriod?.Start as string) >= anomaly.startDate)) {
        expect(totalByDay.get(r.TimePeriod?.Start as string)).toBeGreaterThan(baselineTotal * 1.3);
      }
    }
  });

  it('scales costs with the estate and forecasts from today on', async () => {
    const bigger = createSimulatedAws(simulationOptions({ resourcesPerRegion: 240 }), REGIONS);
    const period = { Start: iso(today - 7 * DAY), End: iso(today) };
    const small = await costAndUsage(ce, { TimePeriod: period, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], Filter: { Dimensions: { Key: 'SERVICE', Values: ['EC2 - Other'] } } });
    const big = await costAndUsage(sdkClients(bigger, MANAGEMENT, 'us-east-1').ce, { TimePeriod: period, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], Filter: { Dimensions: { Key: 'SERVICE', Values: ['EC2 - Other'] } } });
    const sum = (x: typeof small) => x.results.reduce((s, r) => s + totalOf(r), 0);
    expect(sum(big) / sum(small)).toBeGreaterThan(3);
    expect(sum(big) / sum(small)).toBeLessThan(5);

    const forecast = await ce.send(new GetCostForecastCommand({ TimePeriod: { Start: iso(today), End: iso(today + 30 * DAY) }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY' }));
    expect(forecast.ForecastResultsByTime).toHaveLength(30);
    expect(Number(forecast.Total?.Amount)).toBeGreaterThan(0);
    const first = forecast.ForecastResultsByTime?.[0];
    expect(Number(first?.PredictionIntervalLowerBound)).toBeLessThan(Number(first?.MeanValue));
    const past = await errorOf(() => ce.send(new GetCostForecastCommand({ TimePeriod: { Start: iso(today - DAY), End: iso(today + DAY) }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY' })));
    expect(past.name).toBe('ValidationException');
  });
});
