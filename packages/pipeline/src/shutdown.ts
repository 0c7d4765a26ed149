// Ordered, idempotent shutdown on SIGINT/SIGTERM: each step runs once, in order, in its own try/catch.
import type { Logger } from '@finops/core';

export interface ShutdownStep {
  name: string;
  close(): Promise<unknown> | unknown;
}

/**
 * Returns the shutdown function (also usable directly, e.g. by the demo). A second signal while shutting down
 * exits at once with code 130.
 */
export function installShutdown(logger: Logger, steps: ShutdownStep[], options: { exit?: boolean } = {}): () => Promise<void> {
  let running: Promise<void> | undefined;
  const shutdown = () => {
    running ??= (async () => {
      for (const step of steps) {
        try {
          await step.close();
          logger.debug({ step: step.name }, 'closed');
        } catch (error) {
          logger.error({ err: error, step: step.name }, 'shutdown step failed');
        }
      }
      logger.info('stopped');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    })();
    return running;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    logger.info({ signal }, 'shutting down');
    void shutdown().then(() => {
      if (options.exit !== false) process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return shutdown;
}
