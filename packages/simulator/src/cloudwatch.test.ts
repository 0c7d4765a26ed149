// GetMetricData through the real CloudWatch client: limits, paging, ordering, statistics and data gaps.
import { GetMetricDataCommand, paginateGetMetricData, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, TerminateInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, sdkClients, simulationOptions, type SdkClients } from './test-support.js';

const REGION = 'eu-west-1';
const HOUR = 3_600_000;
const DAY = 86_400_000;

function cpuQuery(id: string, instanceId: string, stat = 'Average', period = 3600): MetricDataQuery {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: instanceId }] }, Period: period, Stat: stat },
  };
}

describe('CloudWatch GetMetricData', () => {
  let clients: SdkClients;
  let instances: Instance[];
  const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const start = new Date(end.getTime() - 14 * DAY);

  beforeAll(async () => {
    clients = sdkClients(createSimulatedAws(simulationOptions({ resourcesPerRegion: 200 }), [REGION]), MANAGEMENT, REGION);
    instances = ((await clients.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []);
  });

  it('enforces the query, datapoint, period and statistic limits with ValidationError', async () => {
    const { cloudwatch } = clients;
    const id = instances[0].InstanceId as string;
    const send = (input: Partial<ConstructorParameters<typeof GetMetricDataCommand>[0]>) =>
      errorOf(() => cloudwatch.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: [cpuQuery('a', id)], ...input })));
    const tooMany = await send({ MetricDataQueries: Array.from({ length: 501 }, (_, i) => cpuQuery(`q${i}`, id)) });
    expect(tooMany.name).toBe('ValidationError');
    expect(tooMany.$metadata?.httpStatusCode).toBe(400);
    expect((await send({ MaxDatapoints: 100_801 })).name).toBe('ValidationError');
    expect((await send({ MetricDataQueries: [cpuQuery('a', id), cpuQuery('a', id)] })).message).toContain('duplicated');
    expect((await send({ MetricDataQueries: [{ Id: 'e', Expression: 'SUM(METRICS())' }] })).message).toContain('Expression');
    expect((await send({ MetricDataQueries: [cpuQuery('a', id, 'Average', 90)] })).name).toBe('ValidationError');
    expect((await send({ MetricDataQueries: [cpuQuery('a', id, 'tm99')] })).name).toBe('ValidationError');
    expect((await send({ StartTime: end, EndTime: start })).name).toBe('ValidationError');
    // 500 queries at the limit are fine.
    const atLimit = await cloudwatch.send(
      new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: Array.from({ length: 500 }, (_, i) => cpuQuery(`q${i}`, id, 'Maximum', 86400)) }),
    );
    expect(atLimit.MetricDataResults).toHaveLength(500);
  });

  it('pages by MaxDatapoints and the SDK paginator reassembles every series, newest first', async () => {
    const { cloudwatch } = clients;
    const running = instances.filter((i) => i.State?.Name === 'running' && (i.LaunchTime as Date).getTime() < start.getTime());
    const queries = running.slice(0, 3).map((i, n) => cpuQuery(`cpu${n}`, i.InstanceId as string));
    const whole = await cloudwatch.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: queries }));
    expect(whole.NextToken).toBeUndefined();
    for (const result of whole.MetricDataResults ?? []) {
      expect(result.Values).toHaveLength(14 * 24);
      expect(result.StatusCode).toBe('Complete');
      const times = (result.Timestamps ?? []).map((t) => t.getTime());
      expect(times[0]).toBe(end.getTime() - HOUR);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    const merged = new Map<string, { t: number[]; v: number[] }>();
    let pages = 0;
    for await (const page of paginateGetMetricData({ client: cloudwatch, pageSize: 100 }, { StartTime: start, EndTime: end, MetricDataQueries: queries })) {
      pages += 1;
      for (const r of page.MetricDataResults ?? []) {
        const entry = merged.get(r.Id as string) ?? { t: [], v: [] };
        entry.t.push(...(r.Timestamps ?? []).map((t) => t.getTime()));
        entry.v.push(...(r.Values ?? []));
        merged.set(r.Id as string, entry);
      }
    }
    expect(pages).toBe(Math.ceil((3 * 14 * 24) / 100));
    for (const result of whole.MetricDataResults ?? []) {
      expect(merged.get(result.Id as string)?.t).toEqual((result.Timestamps ?? []).map((t) => t.getTime()));
      expect(merged.get(result.Id as string)?.v).toEqual(result.Values);
    }
    const ascending = await cloudwatch.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: queries.slice(0, 1), ScanBy: 'TimestampAscending' }));
    expect(ascending.MetricDataResults?.[0]?.Values).toEqual([...(whole.MetricDataResults?.[0]?.Values ?? [])].reverse());
  });

  it('statistics are consistent: Minimum ≤ Average ≤ p99 ≤ Maximum, daily Sum of bytes = sum of hourly sums', async () => {
    const { cloudwatch } = clients;
    const busy = instances.find((i) => i.State?.Name === 'running' && (i.LaunchTime as Date).getTime() < start.getTime()) as Instance;
    const id = busy.InstanceId as string;
    const stats = ['Minimum', 'Average', 'p99', 'Maximum'];
    const out = await cloudwatch.send(
      new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: stats.map((s, i) => cpuQuery(`s${i}`, id, s)) }),
    );
    const [min, avg, p99, max] = (out.MetricDataResults ?? []).map((r) => r.Values ?? []);
    for (let i = 0; i < avg.length; i++) {
      expect(min[i]).toBeLessThanOrEqual(avg[i]);
      expect(avg[i]).toBeLessThanOrEqual(p99[i]);
      expect(p99[i]).toBeLessThanOrEqual(max[i]);
    }
    const dayStart = new Date(Math.floor(start.getTime() / DAY) * DAY + DAY);
    const dayEnd = new Date(dayStart.getTime() + DAY);
    const net = (period: number, unit: 'Bytes' | 'Megabytes' = 'Bytes'): MetricDataQuery => ({
      Id: `n${period}`,
      MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: period, Stat: 'Sum', Unit: unit },
    });
    const sums = await cloudwatch.send(new GetMetricDataCommand({ StartTime: dayStart, EndTime: dayEnd, MetricDataQueries: [net(86400), net(3600)] }));
    const [daily, hourly] = (sums.MetricDataResults ?? []).map((r) => r.Values ?? []);
    expect(daily).toHaveLength(1);
    expect(hourly).toHaveLength(24);
    expect(daily[0]).toBe(hourly.reduce((s, v) => s + v, 0));
    // A unit the metric does not have matches nothing, as in CloudWatch.
    const wrongUnit = await cloudwatch.send(
      new GetMetricDataCommand({ StartTime: dayStart, EndTime: dayEnd, MetricDataQueries: [net(3600, 'Megabytes')] }),
    );
    expect(wrongUnit.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('has no datapoints while an instance is stopped or before it launched', async () => {
    const { cloudwatch } = clients;
    const stopped = instances.filter((i) => i.State?.Name === 'stopped');
    const fresh = instances.filter((i) => i.State?.Name === 'running' && (i.LaunchTime as Date).getTime() > start.getTime());
    expect(stopped.length).toBeGreaterThan(0);
    expect(fresh.length).toBeGreaterThan(0);
    const queries = [...stopped, ...fresh].map((i, n) => cpuQuery(`x${n}`, i.InstanceId as string));
    const out = await cloudwatch.send(new GetMetricDataCommand({ StartTime: new Date(end.getTime() - 60 * DAY), EndTime: end, MetricDataQueries: queries }));
    [...stopped, ...fresh].forEach((instance, n) => {
      const times = (out.MetricDataResults?.[n]?.Timestamps ?? []).map((t) => t.getTime());
      const launch = (instance.LaunchTime as Date).getTime();
      expect(times.every((t) => t + HOUR > launch)).toBe(true);
      const reason = instance.StateTransitionReason ?? '';
      const stoppedAt = /\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) GMT\)/.exec(reason)?.[1];
      if (instance.State?.Name === 'stopped') {
        expect(stoppedAt).toBeDefined();
        expect(times.every((t) => t < Date.parse(`${(stoppedAt as string).replace(' ', 'T')}Z`))).toBe(true);
      }
    });
    expect(out.MetricDataResults?.slice(stopped.length).every((r) => (r.Values ?? []).length > 0)).toBe(true);
  });

  it('answers unknown metrics and resources with empty results, and 5-minute periods within retention', async () => {
    const { cloudwatch } = clients;
    const id = instances.find((i) => i.State?.Name === 'running')?.InstanceId as string;
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 2 * HOUR),
        EndTime: end,
        MetricDataQueries: [
          cpuQuery('unknownid', 'i-0000000000000000a'),
          { Id: 'unknownmetric', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'DiskReadOps', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 300, Stat: 'Sum' } },
          cpuQuery('fivemin', id, 'Average', 300),
        ],
      }),
    );
    const [unknownId, unknownMetric, fiveMin] = out.MetricDataResults ?? [];
    expect(unknownId.Values).toEqual([]);
    expect(unknownMetric.Values).toEqual([]);
    expect(fiveMin.Values).toHaveLength(24);
    const old = await cloudwatch.send(
      new GetMetricDataCommand({ StartTime: new Date(end.getTime() - 100 * DAY), EndTime: new Date(end.getTime() - 99 * DAY), MetricDataQueries: [cpuQuery('old', id, 'Average', 300)] }),
    );
    expect(old.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('computes a page after a mutation from the changed estate, not from the answer of the pages before it', async () => {
    // A simulator of its own: this test terminates an instance.
    const own = sdkClients(createSimulatedAws(simulationOptions({ resourcesPerRegion: 200 }), [REGION]), MANAGEMENT, REGION);
    const all = ((await own.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []);
    const [kept, doomed] = all.filter((i) => i.State?.Name === 'running' && (i.LaunchTime as Date).getTime() < start.getTime());
    const input = {
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [cpuQuery('kept', kept.InstanceId as string), cpuQuery('doomed', doomed.InstanceId as string)],
      // Page 1: all of "kept" and 10 of "doomed"; page 2: the other 326 of "doomed".
      MaxDatapoints: 14 * 24 + 10,
    };
    const doomedOn = (page: { MetricDataResults?: { Id?: string; Values?: number[] }[] }) => page.MetricDataResults?.find((r) => r.Id === 'doomed')?.Values ?? [];
    const first = await own.cloudwatch.send(new GetMetricDataCommand(input));
    expect(doomedOn(first)).toHaveLength(10);
    const second = await own.cloudwatch.send(new GetMetricDataCommand({ ...input, NextToken: first.NextToken }));
    expect(doomedOn(second)).toHaveLength(14 * 24 - 10);
    expect(second.NextToken).toBeUndefined();

    const again = await own.cloudwatch.send(new GetMetricDataCommand(input));
    await own.ec2.send(new TerminateInstancesCommand({ InstanceIds: [doomed.InstanceId as string] }));
    // A terminated instance has no metric: the next page, recomputed, holds nothing more of it.
    const after = await own.cloudwatch.send(new GetMetricDataCommand({ ...input, NextToken: again.NextToken }));
    expect(doomedOn(after)).toEqual([]);
  });
});
