// Reloading the configuration at run time: SIGHUP and the control channel reach the process, an invalid file is
// refused with the usual message and the running configuration kept.
import { afterEach, describe, expect, it } from 'vitest';
import { opsContext, type OpsContext } from '../../../../test/ops/ops-context.js';
import { publishReload } from './control-channel.js';
import { installReload } from './install-reload.js';

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('config reload', () => {
  let ops: OpsContext | undefined;
  afterEach(async () => {
    await ops?.cleanup();
    ops = undefined;
  });

  it('applies a new file on SIGHUP and on a control message, for the next job; names what needs a restart', async () => {
    ops = await opsContext('reload');
    const { ctx } = ops;
    const synced: number[] = [];
    const reload = await installReload(ctx, (config) => void synced.push(config.optimization.minMonthlySavingsUsd));
    try {
      expect(ctx.deps.config.optimization.minMonthlySavingsUsd).toBe(0);
      ops.writeConfig({ ...ops.settings, optimization: { minMonthlySavingsUsd: 25 }, logging: { level: 'debug' } });
      process.emit('SIGHUP', 'SIGHUP');
      await until(() => ctx.config.optimization.minMonthlySavingsUsd === 25);
      // Handlers read deps.config at each job: the next one sees the new threshold.
      expect(ctx.deps.config.optimization.minMonthlySavingsUsd).toBe(25);
      expect(ctx.logger.level).toBe('debug');

      ops.writeConfig({ ...ops.settings, optimization: { minMonthlySavingsUsd: 40 }, api: { auth: 'none', port: 4321 } });
      const other = await ops.replica('publisher');
      expect(await publishReload(other.redis, ops.prefix, 'test')).toBeGreaterThanOrEqual(1);
      await until(() => ctx.config.optimization.minMonthlySavingsUsd === 40);
      expect(synced).toEqual([25, 40]);

      const result = await reload.reloader.reload('test');
      expect(result).toMatchObject({ ok: true, needsRestart: [] });
    } finally {
      await reload.step.close();
    }
  });

  it('refuses an invalid file with the usual message and keeps the running configuration', async () => {
    ops = await opsContext('reload-bad');
    const { ctx } = ops;
    const reload = await installReload(ctx);
    const base = ops.settings;
    try {
      ops.writeConfig({ ...base, optimization: { minMonthlySavingsUsd: 'ten' } });
      const result = await reload.reloader.reload('test');
      expect(result.ok).toBe(false);
      expect(result.ok === false && result.error).toMatch(/optimization\.minMonthlySavingsUsd: expected number ≥ 0, got "ten"/);
      expect(ctx.config.optimization.minMonthlySavingsUsd).toBe(0);

      ops.writeConfig({ ...base, redis: { ...(base.redis as object), prefix: '{elsewhere}' } });
      const restart = await reload.reloader.reload('test');
      expect(restart).toMatchObject({ ok: true, needsRestart: ['redis.prefix'] });
    } finally {
      await reload.step.close();
    }
  });
});
