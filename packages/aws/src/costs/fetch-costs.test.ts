// Cost Explorer through createAwsAccess with recorded answers: pagination, grouping math, forecast, metric fallback, errors, cache.
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  type GetCostAndUsageCommandInput,
  type GetCostForecastCommandInput,
} from '@aws-sdk/client-cost-explorer';
import { AwsAccessError, UsageError } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { awsError } from '../__fixtures__/fake-aws.js';
import { CALLER_ID, mockedAccess, recordingLogger } from '../__fixtures__/test-access.js';
import type { CostCache } from './cost-cache.js';

const ce = mockClient(CostExplorerClient);
afterEach(() => ce.reset());

const NOW = new Date('2026-11-26T10:00:00Z');
const COMPUTE = 'Amazon Elastic Compute Cloud - Compute';
const MEMBER = '222222222222';
const THIRD = '333333333333';

/** Answers GetCostAndUsage from the three recorded pages, keyed by NextPageToken; records each input. */
function answerFromPages(): GetCostAndUsageCommandInput[] {
  const inputs: GetCostAndUsageCommandInput[] = [];
  const pages: Record<string, string> = { '': 'ce.GetCostAndUsage_1', 'page-2-token': 'ce.GetCostAndUsage_2', 'page-3-token': 'ce.GetCostAndUsage_3' };
  ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
    inputs.push(structuredClone(input));
    return fixture(pages[input.NextPageToken ?? ''] as string);
  });
  ce.on(GetCostForecastCommand).resolves(fixture('ce.GetCostForecast_1'));
  return inputs;
}

/** A day of grouped cost for one set: `groups` are [key1, key2, net]. */
function day(date: string, groups: [string, string, number][]) {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    TimePeriod: { Start: date, End: next },
    Total: {},
    Groups: groups.map(([a, b, net]) => ({
      Keys: [a, b],
      Metrics: { NetUnblendedCost: { Amount: String(net), Unit: 'USD' }, UnblendedCost: { Amount: String(net + 1), Unit: 'USD' } },
    })),
  };
}

const valuesOf = (series: { amountUsd: number }[] | undefined) => series?.map((d) => Math.round(d.amountUsd * 1000) / 1000);

describe('fetchCosts', () => {
  it('follows NextPageToken across 3 pages, one request per page, and sums series and breakdown', async () => {
    const inputs = answerFromPages();
    const { access } = mockedAccess();
    const dataset = await access.fetchCosts({ lookbackDays: 6, granularity: 'DAILY', accounts: [CALLER_ID], now: NOW });
    access.close();

    expect(inputs.map((i) => i.NextPageToken)).toEqual([undefined, 'page-2-token', 'page-3-token']);
    expect(inputs[0]).toMatchObject({
      TimePeriod: { Start: '2026-11-20', End: '2026-11-26' },
      Granularity: 'DAILY',
      Metrics: ['NetUnblendedCost', 'UnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'REGION' },
      ],
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [CALLER_ID] } },
    });
    expect(dataset).toMatchObject({ start: '2026-11-20', end: '2026-11-26', metric: 'NetUnblendedCost', cached: false, fetchedAt: NOW.toISOString() });
    // Day i costs 10+i (compute, us-east-1), 4+i (compute, eu-west-1) and 0.5+i (Lambda, us-east-1).
    const days = [0, 1, 2, 3, 4, 5];
    expect(dataset.series.total?.map((d) => d.date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25']);
    expect(valuesOf(dataset.series.total)).toEqual(days.map((i) => 14.5 + 3 * i));
    expect(valuesOf(dataset.series[`service:${COMPUTE}`])).toEqual(days.map((i) => 14 + 2 * i));
    expect(valuesOf(dataset.series['service:AWS Lambda'])).toEqual(days.map((i) => 0.5 + i));
    expect(valuesOf(dataset.series['region:us-east-1'])).toEqual(days.map((i) => 10.5 + 2 * i));
    expect(valuesOf(dataset.series['region:eu-west-1'])).toEqual(days.map((i) => 4 + i));
    expect(valuesOf(dataset.series[`account:${CALLER_ID}`])).toEqual(valuesOf(dataset.series.total));
    expect(Object.keys(dataset.series)).toHaveLength(6);
    expect(dataset.breakdown).toHaveLength(18);
    expect(dataset.breakdown[0]).toEqual({ date: '2026-11-20', service: COMPUTE, region: 'eu-west-1', accountId: CALLER_ID, amountUsd: 4 });
  });

  it('asks for this month\'s forecast and keeps its prediction interval', async () => {
    answerFromPages();
    const forecasts: GetCostForecastCommandInput[] = [];
    ce.on(GetCostForecastCommand).callsFake((input: GetCostForecastCommandInput) => {
      forecasts.push(input);
      return fixture('ce.GetCostForecast_1');
    });
    const { access } = mockedAccess();
    const dataset = await access.fetchCosts({ lookbackDays: 6, granularity: 'DAILY', accounts: [CALLER_ID], now: NOW });
    access.close();
    expect(forecasts).toEqual([
      {
        TimePeriod: { Start: '2026-11-26', End: '2026-12-01' },
        Metric: 'NET_UNBLENDED_COST',
        Granularity: 'MONTHLY',
        PredictionIntervalLevel: 80,
        Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [CALLER_ID] } },
      },
    ]);
    expect(dataset.forecast).toEqual({ start: '2026-11-26', end: '2026-12-01', amountUsd: 72.5, lowerUsd: 65, upperUsd: 80 });
  });

  it('leaves the forecast out when Cost Explorer has too little history, and warns when it is denied', async () => {
    answerFromPages();
    ce.on(GetCostForecastCommand).rejects(awsError('DataUnavailableException'));
    const logger = recordingLogger();
    const { access } = mockedAccess({ logger });
    expect((await access.fetchCosts({ lookbackDays: 6, accounts: [CALLER_ID], now: NOW })).forecast).toBeUndefined();
    expect(logger.warnings).toEqual([]);
    ce.on(GetCostForecastCommand).rejects(awsError('AccessDeniedException'));
    expect((await access.fetchCosts({ lookbackDays: 6, accounts: [CALLER_ID], now: NOW })).forecast).toBeUndefined();
    expect(logger.warnings).toHaveLength(1);
    access.close();
  });

  it('splits the three dimensions by account: GroupBy SERVICE, REGION once per account', async () => {
    const inputs: GetCostAndUsageCommandInput[] = [];
    ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
      inputs.push(structuredClone(input));
      const account = input.Filter?.Dimensions?.Values?.[0];
      return { ResultsByTime: [day('2026-11-25', [[COMPUTE, 'us-east-1', account === CALLER_ID ? 3 : 5], ['AWS Lambda', 'eu-west-1', 1]])] };
    });
    ce.on(GetCostForecastCommand).rejects(awsError('DataUnavailableException'));
    const { access } = mockedAccess();
    const dataset = await access.fetchCosts({ lookbackDays: 1, accounts: [MEMBER, CALLER_ID], now: NOW });
    access.close();
    expect(inputs.map((i) => i.Filter)).toEqual([
      { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [CALLER_ID] } },
      { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [MEMBER] } },
    ]);
    expect(valuesOf(dataset.series.total)).toEqual([10]);
    expect(valuesOf(dataset.series[`account:${MEMBER}`])).toEqual([6]);
    expect(valuesOf(dataset.series[`service:${COMPUTE}`])).toEqual([8]);
    expect(valuesOf(dataset.series['region:eu-west-1'])).toEqual([2]);
    expect(dataset.breakdown.filter((b) => b.accountId === MEMBER)).toEqual([
      { date: '2026-11-25', service: 'AWS Lambda', region: 'eu-west-1', accountId: MEMBER, amountUsd: 1 },
      { date: '2026-11-25', service: COMPUTE, region: 'us-east-1', accountId: MEMBER, amountUsd: 5 },
    ]);
  });

  it('splits by region instead when 1 + regions with cost is fewer requests than accounts', async () => {
    const inputs: GetCostAndUsageCommandInput[] = [];
    ce.on(GetDimensionValuesCommand).resolves({ DimensionValues: [{ Value: 'us-east-1' }], ReturnSize: 1, TotalSize: 1 });
    ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
      inputs.push(structuredClone(input));
      return { ResultsByTime: [day('2026-11-25', [[COMPUTE, CALLER_ID, 2], [COMPUTE, MEMBER, 3], ['AWS Lambda', THIRD, 4]])] };
    });
    ce.on(GetCostForecastCommand).rejects(awsError('DataUnavailableException'));
    const { access } = mockedAccess();
    const dataset = await access.fetchCosts({ lookbackDays: 1, accounts: [THIRD, MEMBER, CALLER_ID], now: NOW });
    access.close();
    expect(ce.commandCalls(GetDimensionValuesCommand)).toHaveLength(1);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ],
      Filter: {
        And: [
          { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [CALLER_ID, MEMBER, THIRD] } },
          { Dimensions: { Key: 'REGION', Values: ['us-east-1'] } },
        ],
      },
    });
    expect(valuesOf(dataset.series['region:us-east-1'])).toEqual([9]);
    expect(dataset.breakdown.map((b) => `${b.accountId}/${b.region}/${b.amountUsd}`)).toEqual([`${CALLER_ID}/us-east-1/2`, `${MEMBER}/us-east-1/3`, `${THIRD}/us-east-1/4`]);
  });

  it('falls back to UnblendedCost for the whole dataset when an answer lacks NetUnblendedCost', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-11-25', End: '2026-11-26' },
          Groups: [
            { Keys: [COMPUTE, 'us-east-1'], Metrics: { NetUnblendedCost: { Amount: '1' }, UnblendedCost: { Amount: '2' } } },
            { Keys: ['AWS Lambda', 'us-east-1'], Metrics: { UnblendedCost: { Amount: '5' } } },
          ],
        },
      ],
    });
    const forecasts: GetCostForecastCommandInput[] = [];
    ce.on(GetCostForecastCommand).callsFake((input: GetCostForecastCommandInput) => {
      forecasts.push(input);
      return fixture('ce.GetCostForecast_1');
    });
    const { access } = mockedAccess();
    const dataset = await access.fetchCosts({ lookbackDays: 1, accounts: [CALLER_ID], now: NOW });
    access.close();
    expect(dataset.metric).toBe('UnblendedCost');
    expect(valuesOf(dataset.series.total)).toEqual([7]);
    expect(forecasts[0]?.Metric).toBe('UNBLENDED_COST');
  });

  it('adds a series per cost-allocation tag value from one more request set', async () => {
    ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
      if (input.GroupBy?.[0]?.Type === 'TAG') {
        return { ResultsByTime: [{ TimePeriod: { Start: '2026-11-25', End: '2026-11-26' }, Groups: [{ Keys: ['team$web'], Metrics: { NetUnblendedCost: { Amount: '4' } } }, { Keys: ['team$'], Metrics: { NetUnblendedCost: { Amount: '1' } } }] }] };
      }
      return { ResultsByTime: [day('2026-11-25', [[COMPUTE, 'us-east-1', 5]])] };
    });
    ce.on(GetCostForecastCommand).rejects(awsError('DataUnavailableException'));
    const { access } = mockedAccess();
    const dataset = await access.fetchCosts({ lookbackDays: 1, accounts: [CALLER_ID], groupings: ['SERVICE', 'REGION', 'LINKED_ACCOUNT', 'TAG:team'], now: NOW });
    access.close();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
    expect(valuesOf(dataset.series['tag:team=web'])).toEqual([4]);
    expect(valuesOf(dataset.series['tag:team='])).toEqual([1]);
    expect(valuesOf(dataset.series.total)).toEqual([5]);
  });

  it('turns AccessDenied into a permanent AwsAccessError for ce:GetCostAndUsage with a hint', async () => {
    ce.on(GetCostAndUsageCommand).rejects(awsError('AccessDeniedException'));
    const { access } = mockedAccess();
    const error = await access.fetchCosts({ lookbackDays: 6, accounts: [CALLER_ID], now: NOW }).catch((e: unknown) => e);
    access.close();
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({ action: 'ce:GetCostAndUsage', code: 'AccessDeniedException', retryable: false, accountId: CALLER_ID, region: 'us-east-1' });
    expect((error as AwsAccessError).hint).toMatch(/grant ce:GetCostAndUsage.*payer/);
  });

  it('says how to enable Cost Explorer when it has no data for the account', async () => {
    ce.on(GetCostAndUsageCommand).rejects(awsError('DataUnavailableException'));
    const { access } = mockedAccess();
    const error = await access.fetchCosts({ lookbackDays: 6, accounts: [CALLER_ID], now: NOW }).catch((e: unknown) => e);
    access.close();
    expect(error).toMatchObject({ code: 'DataUnavailableException', retryable: false, message: expect.stringContaining('DataUnavailableException (fake)') });
    expect((error as AwsAccessError).hint).toMatch(/enable it in the Billing and Cost Management console/);
  });

  it('refuses a lookback older than 13 months plus the current one, before any request', async () => {
    const { access } = mockedAccess();
    const error = await access.fetchCosts({ lookbackDays: 500, accounts: [CALLER_ID], now: NOW }).catch((e: unknown) => e);
    access.close();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/before 2025-10-01/);
    expect((error as UsageError).hint).toBe('lower costs.lookbackDays to at most 421');
    expect(ce.calls()).toHaveLength(0);
  });

  it('goes through the cost cache: a hit makes no request, and the key ignores account order', async () => {
    answerFromPages();
    const store = new Map<string, unknown>();
    const keys: string[] = [];
    const cache: CostCache = {
      async getOrFetch<T>(key: string, fetch: () => Promise<T>) {
        keys.push(key);
        if (store.has(key)) return { value: store.get(key) as T, cached: true };
        const value = await fetch();
        store.set(key, value);
        return { value, cached: false };
      },
    };
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [day('2026-11-25', [[COMPUTE, 'us-east-1', 1]])] });
    const { access } = mockedAccess({ costCache: cache });
    const first = await access.fetchCosts({ lookbackDays: 1, accounts: [CALLER_ID, MEMBER], now: NOW });
    const calls = ce.calls().length;
    const second = await access.fetchCosts({ lookbackDays: 1, accounts: [MEMBER, CALLER_ID], now: new Date('2026-11-26T18:00:00Z') });
    access.close();
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(ce.calls()).toHaveLength(calls);
    expect(second.series).toEqual(first.series);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toMatch(new RegExp(`^ce\\.v1\\.${CALLER_ID}\\.costs\\.[0-9a-f]{32}$`));
  });
});

describe('fetchUsageTypeCosts', () => {
  it('groups one service by usage type, filtered to a region and an account', async () => {
    const inputs: GetCostAndUsageCommandInput[] = [];
    ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
      inputs.push(structuredClone(input));
      return {
        ResultsByTime: [
          { TimePeriod: { Start: '2026-11-24', End: '2026-11-25' }, Groups: [{ Keys: ['USE1-BoxUsage:m5.large'], Metrics: { NetUnblendedCost: { Amount: '2.5' }, UnblendedCost: { Amount: '3' } } }] },
          { TimePeriod: { Start: '2026-11-25', End: '2026-11-26' }, Groups: [{ Keys: ['USE1-BoxUsage:t3.medium'], Metrics: { NetUnblendedCost: { Amount: '1' }, UnblendedCost: { Amount: '1' } } }] },
        ],
      };
    });
    const { access } = mockedAccess();
    const costs = await access.fetchUsageTypeCosts({ service: COMPUTE, region: 'us-east-1', accountId: MEMBER, start: '2026-11-24', end: '2026-11-26', now: NOW });
    access.close();
    expect(inputs[0]).toMatchObject({
      GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }],
      Filter: {
        And: [
          { Dimensions: { Key: 'SERVICE', Values: [COMPUTE] } },
          { Dimensions: { Key: 'REGION', Values: ['us-east-1'] } },
          { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [MEMBER] } },
        ],
      },
    });
    expect(costs).toMatchObject({ service: COMPUTE, region: 'us-east-1', accountId: MEMBER, metric: 'NetUnblendedCost', cached: false });
    expect(costs.series).toEqual({
      'USE1-BoxUsage:m5.large': [
        { date: '2026-11-24', amountUsd: 2.5 },
        { date: '2026-11-25', amountUsd: 0 },
      ],
      'USE1-BoxUsage:t3.medium': [
        { date: '2026-11-24', amountUsd: 0 },
        { date: '2026-11-25', amountUsd: 1 },
      ],
    });
  });
});
