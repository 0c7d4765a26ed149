// Reloads the configuration at run time (SIGHUP, or a message on the control channel): validate, then swap.
import { ConfigError, describeError, redactConfig, type Config, type LoadedConfig, type Logger } from '@finops/core';

/** Settings a running process cannot change: they name its connections, ports and queues. */
const RESTART_ONLY: readonly (readonly string[])[] = [
  ['redis', 'url'],
  ['redis', 'prefix'],
  ['api', 'host'],
  ['api', 'port'],
  ['api', 'auth'],
  ['api', 'bodyLimit'],
  ['api', 'metrics'],
  ['aws', 'provider'],
  ['aws', 'endpoint'],
  ['workers', 'regions'],
  ['workers', 'concurrency'],
  ['workers', 'healthPort'],
  ['logging', 'file'],
];

function at(config: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), config);
}

/** Dotted paths of restart-only settings that differ (secrets compared, never printed). */
export function restartOnlyChanges(before: Config, after: Config): string[] {
  return RESTART_ONLY.filter((path) => JSON.stringify(at(before, path)) !== JSON.stringify(at(after, path))).map((p) => p.join('.'));
}

export type ReloadResult =
  | { ok: true; source: string; needsRestart: string[] }
  | { ok: false; error: string };

export interface ConfigReloaderOptions {
  /** Loads and validates the configuration as at start-up (same file, environment and overrides). */
  load(): LoadedConfig;
  current(): Config;
  /** Puts the new configuration in place: thresholds, schedules, channels, log level. */
  apply(config: Config): Promise<void> | void;
  logger: Logger;
}

/**
 * One reload at a time; a reload asked for while one runs is coalesced into it. An invalid configuration is
 * rejected with the usual message and the running one kept. In-flight jobs are untouched: they finish with the
 * configuration they read, and the next job reads the new one.
 */
export class ConfigReloader {
  private running?: Promise<ReloadResult>;

  constructor(private readonly options: ConfigReloaderOptions) {}

  reload(reason: string): Promise<ReloadResult> {
    this.running ??= this.doReload(reason).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async doReload(reason: string): Promise<ReloadResult> {
    const { logger } = this.options;
    let loaded: LoadedConfig;
    try {
      loaded = this.options.load();
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : describeError(error);
      logger.error({ reason }, `configuration not reloaded, the running one is kept:\n${message}`);
      return { ok: false, error: message };
    }
    const needsRestart = restartOnlyChanges(this.options.current(), loaded.config);
    try {
      await this.options.apply(loaded.config);
    } catch (error) {
      logger.error({ reason, err: error }, 'applying the reloaded configuration failed');
      return { ok: false, error: describeError(error) };
    }
    if (needsRestart.length) {
      logger.warn({ settings: needsRestart }, `configuration reloaded, but these settings only take effect after a restart: ${needsRestart.join(', ')}`);
    }
    logger.info({ reason, source: loaded.source }, 'configuration reloaded');
    logger.debug({ config: redactConfig(loaded.config) }, 'reloaded configuration');
    return { ok: true, source: loaded.source, needsRestart };
  }
}
