// Schedules on a real Redis: cron from config, idempotent sync across restarts and replicas, removal, operator
// disable kept across restarts, and no overlapping runs.
import { ConfigError } from '@finops/core';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { opsContext, type OpsContext } from '../../../../test/ops/ops-context.js';
import { checkScheduleOptions, scheduleDefinitions } from './schedule-definitions.js';
import { ScheduleControl } from './schedule-control.js';
import { ScheduleState } from './schedule-state.js';
import { runSchedule } from './scheduled-run-handler.js';
import { configSchema, type Config } from '@finops/core';
import type { ServiceContext } from '../bootstrap.js';

const silent = pino({ level: 'silent' });
const SCHEDULES = {
  monitoring: { enabled: true, everyMinutes: 15 },
  dailyOptimization: { enabled: true, time: '06:30', timezone: 'Europe/Berlin' },
  custom: [{ id: 'nightly-ec2', cron: '0 0 2 * * *', job: 'scan', options: { services: ['ec2'] } }],
};

function control(ctx: ServiceContext): ScheduleControl {
  return new ScheduleControl({ config: () => ctx.config, queues: ctx.queues, state: new ScheduleState(ctx.redis, ctx.config.redis.prefix), logger: silent });
}

async function delayedTicks(ctx: ServiceContext): Promise<string[]> {
  return (await ctx.queues.forRole('scheduler').getDelayed()).map((j) => j.id!).sort();
}

describe('schedule definitions', () => {
  it('turns the built-in settings into cron patterns in their time zones', () => {
    const config: Config = configSchema.parse({
      schedules: {
        ...SCHEDULES,
        weeklyReport: { enabled: true, day: 'friday', time: '17:05', timezone: 'America/New_York' },
        monthlyBudgetReview: { enabled: true, dayOfMonth: 3, time: '09:00' },
      },
    });
    const byId = Object.fromEntries(scheduleDefinitions(config.schedules).map((d) => [d.id, d]));
    expect(byId.monitoring).toMatchObject({ type: 'monitor', repeat: { every: 15 * 60_000 }, enabled: true });
    expect(byId['daily-optimization']).toMatchObject({ type: 'scan', repeat: { pattern: '0 30 6 * * *', tz: 'Europe/Berlin' } });
    expect(byId['weekly-report']).toMatchObject({ type: 'report', repeat: { pattern: '0 5 17 * * 5', tz: 'America/New_York' } });
    expect(byId['monthly-budget-review']).toMatchObject({ type: 'budget-review', repeat: { pattern: '0 0 9 3 * *', tz: 'UTC' } });
    expect(byId['nightly-ec2']).toMatchObject({ type: 'scan', options: { services: ['ec2'] }, repeat: { pattern: '0 0 2 * * *' } });
  });

  it('rejects unknown custom options and ids that shadow a built-in schedule', () => {
    const config = configSchema.parse({
      schedules: { custom: [{ id: 'monitoring', cron: '* * * * *', job: 'scan', options: { services: ['ec2'], dryRun: false } }] },
    });
    const issues = checkScheduleOptions(config.schedules);
    expect(issues.map((i) => i.path)).toEqual(['schedules.custom[0].id', 'schedules.custom[0].options']);
    expect(issues[1].message).toMatch(/unknown option\(s\) dryRun/);
  });
});

describe('schedules in Redis', () => {
  let ops: OpsContext | undefined;
  afterEach(async () => {
    await ops?.cleanup();
    ops = undefined;
  });

  it('refuses to start with an invalid custom schedule (exit 2, path named)', async () => {
    await expect(opsContext('sched-bad', { schedules: { custom: [{ id: 'x', cron: '0 0 2 * * *', job: 'scan', options: { region: 'eu-west-1' } }] } })).rejects.toThrow(
      ConfigError,
    );
  });

  it('syncs idempotently: a restart and a second replica add no scheduler and no tick', async () => {
    ops = await opsContext('sched-sync', { schedules: SCHEDULES });
    const first = await control(ops.ctx).sync();
    expect(first).toMatchObject({ synced: true, removed: [] });
    expect(first.upserted.sort()).toEqual(['daily-optimization', 'monitoring', 'nightly-ec2']);
    const scheduler = ops.ctx.queues.forRole('scheduler');
    const before = await scheduler.getJobSchedulers(0, -1);
    const ticks = await delayedTicks(ops.ctx);
    // An `every` schedule's first run is due at once (waiting); the cron ones wait for their time (delayed).
    expect(ticks.length).toBe(2);

    // A restart and a second replica start together.
    const replica = await ops.replica();
    const [a, b] = await Promise.all([control(ops.ctx).sync(), control(replica).sync()]);
    expect([a.synced, b.synced].filter(Boolean).length).toBeGreaterThanOrEqual(1);
    for (const r of [a, b]) expect(r.upserted).toEqual([]);
    const after = await scheduler.getJobSchedulers(0, -1);
    expect(after.map((s) => [s.key, s.next]).sort()).toEqual(before.map((s) => [s.key, s.next]).sort());
    expect(await delayedTicks(ops.ctx)).toEqual(ticks);
    expect(await scheduler.getWaitingCount()).toBe(1);
  });

  it('removes a schedule dropped from the config, and updates a changed one', async () => {
    ops = await opsContext('sched-remove', { schedules: SCHEDULES });
    await control(ops.ctx).sync();
    ops.writeConfig({ ...ops.settings, schedules: { ...SCHEDULES, dailyOptimization: { enabled: true, time: '07:00', timezone: 'Europe/Berlin' }, custom: [] } });
    const restarted = await ops.replica('restarted');
    const result = await control(restarted).sync();
    expect(result.removed).toEqual(['nightly-ec2']);
    expect(result.upserted).toEqual(['daily-optimization']);
    const keys = (await restarted.queues.forRole('scheduler').getJobSchedulers(0, -1)).map((s) => [s.key, s.pattern ?? s.every]);
    expect(keys.sort()).toEqual([
      ['daily-optimization', '0 0 7 * * *'],
      ['monitoring', 15 * 60_000],
    ]);
  });

  it('keeps a schedule disabled across restarts until enabled, and runs it on demand meanwhile', async () => {
    ops = await opsContext('sched-disable', { schedules: SCHEDULES });
    await control(ops.ctx).sync();
    const disabled = await control(ops.ctx).disable('daily-optimization');
    expect(disabled).toMatchObject({ disabled: true, active: false, configured: true });
    const restarted = await ops.replica('restarted');
    await control(restarted).sync();
    const listed = await control(restarted).list();
    expect(listed.find((s) => s.id === 'daily-optimization')).toMatchObject({ disabled: true, active: false });
    expect(listed.find((s) => s.id === 'monitoring')).toMatchObject({ disabled: false, active: true });
    await expect(control(restarted).disable('no-such-schedule')).rejects.toThrow(/no schedule "no-such-schedule"/);

    const jobId = await control(restarted).runNow('daily-optimization');
    expect(jobId).toMatch(/^daily-optimization\.run-now\.\d+$/);
    expect(await restarted.queues.forRole('scheduler').getJobState(jobId)).toBe('waiting');

    const enabled = await control(restarted).enable('daily-optimization');
    expect(enabled).toMatchObject({ disabled: false, active: true });
    expect(enabled.next).toMatch(/T0[45]:30:00/);
  });

  it('skips a tick while the previous run of the schedule is still going, and a disabled schedule\'s tick', async () => {
    ops = await opsContext('sched-overlap', { schedules: SCHEDULES });
    const state = new ScheduleState(ops.ctx.redis, ops.prefix);
    const deps = { ...ops.ctx, state };
    const tick = { scheduleId: 'nightly-ec2', type: 'scan' as const, options: { services: ['ec2' as const] } };
    const first = await runSchedule(deps, tick, 'job-1', silent);
    expect(first.status).toBe('started');
    const scanId = (first as { scanId: string }).scanId;
    const plan = (await ops.ctx.store.getScan(scanId))!.plan;
    expect(plan).toMatchObject({ trigger: 'schedule:nightly-ec2', purpose: 'scan' });
    // The schedule's options narrow the scan: EC2 kinds only.
    expect(plan.kinds).toContain('ec2-instance');
    expect(plan.kinds).not.toContain('rds-instance');

    // No worker runs the scan: it is still going when the next tick comes.
    const second = await runSchedule(deps, tick, 'job-2', silent);
    expect(second).toEqual({ status: 'skipped', reason: `the previous run (scan ${scanId}) is still going`, scanId });
    const runs = await state.lastRuns();
    expect(runs.get('nightly-ec2')).toMatchObject({ outcome: 'skipped', by: 'tick' });

    await ops.ctx.store.completeScan(scanId, { finishedAt: new Date().toISOString(), reportDir: ops.dir });
    const third = await runSchedule(deps, tick, 'job-3', silent);
    expect(third.status).toBe('started');

    await state.setDisabled('monitoring', true);
    expect(await runSchedule(deps, { scheduleId: 'monitoring', type: 'monitor', options: {} }, 'job-4', silent)).toEqual({
      status: 'skipped',
      reason: 'the schedule is disabled',
      scanId: undefined,
    });
    const now = await runSchedule(deps, { scheduleId: 'monitoring', type: 'monitor', options: {}, requestedAt: new Date().toISOString() }, 'job-5', silent);
    expect(now.status).toBe('started');
    expect((await ops.ctx.store.getScan((now as { scanId: string }).scanId))!.plan.purpose).toBe('monitor');
  });

  it('starts a remediation run as the schedule, so only scheduled runs may use safety.autoApprove', async () => {
    ops = await opsContext('sched-remediate', { schedules: SCHEDULES });
    const state = new ScheduleState(ops.ctx.redis, ops.prefix);
    const requests: { trigger: string; actor: string }[] = [];
    const deps = { ...ops.ctx, state, startRemediation: async (r: { trigger: string; actor: string }) => (requests.push(r), { runId: 'run-1', scanId: 'scan-1' }) };
    const result = await runSchedule(deps, { scheduleId: 'nightly-cleanup', type: 'remediate', options: {} }, 'job-1', silent);
    expect(result).toEqual({ status: 'started', scanId: 'scan-1', runId: 'run-1' });
    expect(requests).toEqual([{ trigger: 'schedule:nightly-cleanup', actor: 'schedule:nightly-cleanup' }]);
    expect((await state.lastRuns()).get('nightly-cleanup')).toMatchObject({ outcome: 'started', reason: 'remediation run run-1' });
    const withoutRemediation = await runSchedule({ ...ops.ctx, state }, { scheduleId: 'nightly-cleanup', type: 'remediate', options: {} }, 'job-2', silent);
    expect(withoutRemediation.status).toBe('skipped');
  });
});
