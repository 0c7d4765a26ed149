// ec2-idle-instance at and just beyond each threshold, with missing data, production tags and price fallbacks.
import type { Ec2Instance, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, days, instance, instanceMetrics, prices, summary } from '../test-fixtures.js';
import { ec2IdleInstance } from './ec2-idle-instance.js';

const defaults = ec2IdleInstance.options.parse({});

function evaluate(
  resource: Ec2Instance,
  metrics: ResourceMetrics | undefined,
  options: Partial<typeof defaults> = {},
) {
  return ec2IdleInstance.evaluate({
    resource,
    metrics,
    options: { ...defaults, ...options },
    prices,
    now: NOW,
    context: context(),
  });
}

const idle = instance();
const quiet = (cpuP99 = 1.8, perDay = 200_000) =>
  instanceMetrics(idle.id, { cpuP99, dailyInBytes: days(14, perDay), dailyOutBytes: days(14, perDay) });

describe('ec2-idle-instance', () => {
  it('finds a running instance with low CPU and network, priced at its hours only', () => {
    const finding = evaluate(idle, quiet());
    expect(finding).toEqual({
      monthlySavingsUsd: expect.closeTo(0.096 * 730, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      confidence: 1,
      action: {
        type: 'ec2.stop-instance',
        description: expect.stringMatching(/stop.*terminate/i),
        params: { instanceId: idle.id },
      },
      reason: 'CPU p99 was 1.8% and network at most 0.4 MB/day over 14 days',
      evidence: expect.objectContaining({
        cpuP99Percent: 1.8,
        maxDailyNetworkBytes: 400_000,
        cpuDatapoints: 336,
        expectedDatapoints: 336,
        lookbackDays: 14,
        pricePerHourUsd: 0.096,
        instanceType: 'm5.large',
      }),
    });
  });

  it('needs CPU p99 strictly below the threshold', () => {
    expect(evaluate(idle, quiet(5))).toBeNull();
    expect(evaluate(idle, quiet(4.99))).not.toBeNull();
    expect(evaluate(idle, quiet(8), { maxCpuP99Percent: 10 })).not.toBeNull();
  });

  it('needs every day\'s network in + out strictly below the threshold', () => {
    const oneBusyDay = (inBytes: number, outBytes: number) =>
      instanceMetrics(idle.id, {
        cpuP99: 1,
        dailyInBytes: [...days(13, 1000), inBytes],
        dailyOutBytes: [...days(13, 1000), outBytes],
      });
    // In and out are added per day: neither alone reaches 5 MB, together they do.
    expect(evaluate(idle, oneBusyDay(3_000_000, 2_000_000))).toBeNull();
    expect(evaluate(idle, oneBusyDay(3_000_000, 1_999_999))?.evidence.maxDailyNetworkBytes).toBe(4_999_999);
  });

  it('bounds every day by the window total when no daily breakdown exists', () => {
    const metrics = quiet();
    const flat = (bytes: number) => summary({ stat: 'Sum', sum: bytes, daily: [] });
    metrics.metrics.networkInBytes = flat(3_000_000);
    metrics.metrics.networkOutBytes = flat(1_000_000);
    expect(evaluate(idle, metrics)?.evidence.maxDailyNetworkBytes).toBe(4_000_000);
    metrics.metrics.networkOutBytes = flat(2_000_000);
    expect(evaluate(idle, metrics)).toBeNull();
  });

  it('makes no finding without CPU or network data', () => {
    expect(evaluate(idle, undefined)).toBeNull();
    const noCpu = quiet();
    noCpu.metrics.cpuUtilization = null;
    expect(evaluate(idle, noCpu)).toBeNull();
    const cpuNotCollected = quiet();
    delete cpuNotCollected.metrics.cpuUtilization;
    expect(evaluate(idle, cpuNotCollected)).toBeNull();
    const noNetwork = quiet();
    noNetwork.metrics.networkOutBytes = null;
    expect(evaluate(idle, noNetwork)).toBeNull();
  });

  it('checks running instances only', () => {
    for (const state of ['stopped', 'pending', 'stopping', 'terminated']) {
      expect(evaluate(instance({ state }), quiet()), state).toBeNull();
    }
  });

  it('judges an instance launched within the lookback only with enough data', () => {
    const young = instance({ launchTime: new Date(NOW.getTime() - 5 * 86_400_000).toISOString() });
    const partial = (datapoints: number) =>
      instanceMetrics(young.id, { cpuP99: 1, dailyInBytes: days(5, 1000), dailyOutBytes: days(5, 1000), datapoints });
    expect(evaluate(young, partial(120))).toBeNull();
    expect(evaluate(young, partial(268))).toBeNull(); // 0.798 of 336
    expect(evaluate(young, partial(269))?.confidence).toBeCloseTo(269 / 336, 6); // 0.801
    expect(evaluate(young, partial(120), { minDataCoverage: 0.3 })).not.toBeNull();
  });

  it('judges an instance launched before the lookback even on partial data, with lower confidence', () => {
    const exactlyOld = instance({ launchTime: new Date(NOW.getTime() - 14 * 86_400_000).toISOString() });
    const sparse = instanceMetrics(exactlyOld.id, {
      cpuP99: 1,
      dailyInBytes: days(4, 1000),
      dailyOutBytes: days(4, 1000),
      datapoints: 84,
    });
    expect(evaluate(exactlyOld, sparse)?.confidence).toBe(0.25);
    const almost = instance({ launchTime: new Date(NOW.getTime() - 13.9 * 86_400_000).toISOString() });
    expect(evaluate(almost, sparse)).toBeNull();
  });

  it('raises the risk for production tags, with configurable keys and values', () => {
    expect(evaluate(instance({ tags: { Environment: 'Production' } }), quiet())?.risk).toBe('high');
    expect(evaluate(instance({ tags: { stage: 'prod' } }), quiet())?.risk).toBe('high');
    expect(evaluate(instance({ tags: { env: 'staging' } }), quiet())?.risk).toBe('medium');
    expect(evaluate(instance({ tags: { tier: 'live' } }), quiet(), { productionTagKeys: ['tier'], productionTagValues: ['live'] })?.risk).toBe('high');
  });

  it('prices unknown types by rule, Windows with its license, and spot as estimated', () => {
    const unknown = evaluate(instance({ instanceType: 'zz9.xlarge' }), quiet());
    expect(unknown?.priceConfidence).toBe('estimated');
    expect(unknown?.monthlySavingsUsd).toBeGreaterThan(0);
    const windows = evaluate(instance({ platform: 'windows' }), quiet());
    expect(windows?.monthlySavingsUsd).toBeCloseTo((0.096 + 2 * 0.046) * 730, 6);
    expect(windows?.priceConfidence).toBe('estimated');
    expect(evaluate(instance({ lifecycle: 'spot' }), quiet())?.priceConfidence).toBe('estimated');
    expect(evaluate(instance({ region: 'eu-west-1' }), quiet())?.monthlySavingsUsd).toBeCloseTo(0.096 * 1.11 * 730, 6);
  });

  it('formats small network volumes without rounding them to zero', () => {
    expect(evaluate(idle, quiet(0.04, 20_000))?.reason).toBe('CPU p99 was 0.04% and network at most 0.04 MB/day over 14 days');
  });
});
