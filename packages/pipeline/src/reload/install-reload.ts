// Wires a process for run-time reloads: SIGHUP, and reload messages on the control channel from any process.
import type { Config } from '@finops/core';
import type { ServiceContext } from '../bootstrap.js';
import type { ShutdownStep } from '../shutdown.js';
import { ConfigReloader } from './config-reloader.js';
import { subscribeControl } from './control-channel.js';

export interface InstalledReload {
  reloader: ConfigReloader;
  /** Unsubscribes and removes the SIGHUP handler. */
  step: ShutdownStep;
}

/**
 * `afterApply` runs after the new configuration is in place (the api re-syncs the schedules there). Each process
 * reloads its own file: in docker-compose every container mounts the same one.
 */
export async function installReload(ctx: ServiceContext, afterApply?: (config: Config) => Promise<void> | void): Promise<InstalledReload> {
  const reloader = new ConfigReloader({
    load: () => ctx.loadConfig(),
    current: () => ctx.config,
    apply: async (config) => {
      ctx.applyConfig(config);
      await afterApply?.(config);
    },
    logger: ctx.logger,
  });
  const onHup = () => void reloader.reload('SIGHUP');
  process.on('SIGHUP', onHup);
  const unsubscribe = await subscribeControl(ctx.redis, ctx.config.redis.prefix, ctx.logger, (message) => {
    void reloader.reload(`requested by ${message.origin}`);
  });
  return {
    reloader,
    step: {
      name: 'config reload',
      close: async () => {
        process.off('SIGHUP', onHup);
        await unsubscribe();
      },
    },
  };
}
