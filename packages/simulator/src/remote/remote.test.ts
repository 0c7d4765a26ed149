// The simulated AWS over HTTP answers real SDK clients exactly as the in-process simulator does.
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeAddressesCommand, DescribeInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { findFreePort } from '@finops/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedServiceError } from '../aws-error.js';
import { createSimulatedAws } from '../create-simulated-aws.js';
import type { SimulationOptions } from '../estate-server.js';
import { errorOf, MANAGEMENT, MEMBER, sdkClients, simulationOptions } from '../test-support.js';
import { connectSimulatedAws } from './remote-simulated-aws.js';
import { startSimulatedAwsServer, type SimulatedAwsServer } from './simulated-aws-server.js';
import { CALL_PATH, encodeMessage, STATS_PATH } from './wire.js';

const REGION = 'eu-west-1';
const servers: SimulatedAwsServer[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function remote(options: SimulationOptions, regions = [REGION]) {
  const server = await startSimulatedAwsServer({ simulation: options, regions });
  servers.push(server);
  const client = connectSimulatedAws(server.url, options.accounts);
  closers.push(() => client.close());
  return { server, client };
}

describe('simulated AWS endpoint', () => {
  it('answers listings and GetMetricData (Dates included) as the in-process simulator does', async () => {
    const options = simulationOptions({ resourcesPerRegion: 400 });
    const local = sdkClients(createSimulatedAws(options, [REGION]), MEMBER, REGION);
    const { client } = await remote(options);
    const far = sdkClients(client, MEMBER, REGION);

    const page = (clients: typeof local) => clients.ec2.send(new DescribeInstancesCommand({ MaxResults: 50 }));
    const [near, away] = [await page(local), await page(far)];
    expect(away.Reservations?.length).toBeGreaterThan(0);
    expect(away.Reservations?.[0]?.Instances?.[0]?.LaunchTime).toBeInstanceOf(Date);
    expect(away).toEqual(near);
    const next = (clients: typeof local) => clients.ec2.send(new DescribeInstancesCommand({ MaxResults: 50, NextToken: near.NextToken }));
    expect(await next(far)).toEqual(await next(local));

    const id = near.Reservations![0]!.Instances![0]!.InstanceId!;
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const metrics = new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - 3 * 86_400_000),
      EndTime: end,
      MetricDataQueries: [{ Id: 'cpu', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 3600, Stat: 'Average' } }],
    });
    const [nearMetrics, awayMetrics] = [await local.cloudwatch.send(metrics), await far.cloudwatch.send(metrics)];
    expect(awayMetrics.MetricDataResults?.[0]?.Timestamps?.length).toBeGreaterThan(24);
    expect(awayMetrics.MetricDataResults?.[0]?.Timestamps?.[0]).toBeInstanceOf(Date);
    expect(awayMetrics).toEqual(nearMetrics);
    // Oldest first, paged: every page the same on both sides.
    const paged = (NextToken?: string) => new GetMetricDataCommand({ ...metrics.input, ScanBy: 'TimestampAscending', MaxDatapoints: 30, NextToken });
    let token: string | undefined;
    let pages = 0;
    do {
      const [nearPage, awayPage] = [await local.cloudwatch.send(paged(token)), await far.cloudwatch.send(paged(token))];
      expect(awayPage).toEqual(nearPage);
      token = nearPage.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBeGreaterThan(1);
  });

  it('throws the AWS errors the SDK classifies: throttling is retried, access denied is not', async () => {
    const { server, client } = await remote(simulationOptions({ throttleRate: 1, denied: [{ action: 'lambda:ListFunctions' }] }));
    const clients = sdkClients(client, MANAGEMENT, REGION, { maxAttempts: 3 });
    const throttled = await errorOf(() => clients.ec2.send(new DescribeAddressesCommand({})));
    expect(throttled).toBeInstanceOf(SimulatedServiceError);
    expect([throttled.name, throttled.$metadata?.httpStatusCode, throttled.$metadata?.attempts]).toEqual(['RequestLimitExceeded', 503, 3]);
    const denied = await errorOf(() => clients.lambda.send(new ListFunctionsCommand({})));
    expect([denied.name, denied.$metadata?.httpStatusCode, denied.$metadata?.attempts]).toEqual(['AccessDeniedException', 403, 1]);
    expect(denied.message).toContain('lambda:ListFunctions');
    // Every attempt reached the one estate: its counters are the only ones.
    expect(server.stats()).toMatchObject({ calls: { 'ec2.DescribeAddresses': 3, 'lambda.ListFunctions': 1 }, throttled: 3, denied: 1 });
    const stats = (await (await fetch(new URL(STATS_PATH, server.url))).json()) as { calls: Record<string, number> };
    expect(stats.calls['ec2.DescribeAddresses']).toBe(3);
  });

  it('keeps what a mutating call changed for every client of the endpoint', async () => {
    const options = simulationOptions();
    const { client } = await remote(options);
    const one = sdkClients(client, MANAGEMENT, REGION);
    const other = sdkClients(connectSimulatedAws((servers[0] as SimulatedAwsServer).url, options.accounts), MANAGEMENT, REGION);
    const instances = async (clients: typeof one) => ((await clients.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []);
    const running = (await instances(one)).find((i) => i.State?.Name === 'running' && !i.InstanceLifecycle)!;
    await one.ec2.send(new StopInstancesCommand({ InstanceIds: [running.InstanceId!] }));
    expect((await instances(other)).find((i) => i.InstanceId === running.InstanceId)?.State?.Name).toBe('stopped');
    await other.ec2.send(new StartInstancesCommand({ InstanceIds: [running.InstanceId!] }));
    expect((await instances(one)).find((i) => i.InstanceId === running.InstanceId)?.State?.Name).toBe('running');
  });

  it('names the endpoint when it does not answer, and the SDK retries as for a network error', async () => {
    // A port free a moment ago: nothing listens there.
    const endpoint = `http://127.0.0.1:${await findFreePort()}`;
    const client = connectSimulatedAws(endpoint, [MANAGEMENT]);
    closers.push(() => client.close());
    const error = await errorOf(() => sdkClients(client, MANAGEMENT, REGION, { maxAttempts: 2 }).ec2.send(new DescribeAddressesCommand({})));
    expect(error.message).toContain(`the simulated AWS at ${endpoint} did not answer (ECONNREFUSED)`);
    expect(error.message).toContain('finops simulate-aws');
    expect(error.$metadata?.attempts).toBe(2);
  });

  it('refuses accounts it does not simulate, at the client and at the endpoint, saying which it has', async () => {
    const { server, client } = await remote(simulationOptions({ accounts: [MANAGEMENT] }));
    expect(() => client.plugin({ accountId: MEMBER, region: REGION })).toThrow(/account 222222222222 is not simulated/);
    const strayed = connectSimulatedAws(server.url, [MANAGEMENT, MEMBER]);
    closers.push(() => strayed.close());
    const error = await errorOf(() => sdkClients(strayed, MEMBER, REGION, { maxAttempts: 1 }).ec2.send(new DescribeAddressesCommand({})));
    expect(error.message).toMatch(/refused a call \(HTTP 400\): bad call: account 222222222222 is not simulated here \(simulation\.accounts: 111111111111\)/);
    const garbage = await fetch(new URL(CALL_PATH, server.url), { method: 'POST', body: new Uint8Array(encodeMessage('not a call')) });
    expect([garbage.status, await garbage.text()]).toEqual([400, 'bad call: expected a MessagePack map with accountId, region, clientName, commandName and input']);
  });

  it('rejects an endpoint that is not an http:// URL, naming simulation.endpoint', () => {
    expect(() => connectSimulatedAws('simulated-aws:4566', [MANAGEMENT])).toThrow(/simulation\.endpoint/);
    expect(() => connectSimulatedAws('https://simulated-aws:4566', [MANAGEMENT])).toThrow(/expected an http:\/\/ URL, got https:/);
  });
});
