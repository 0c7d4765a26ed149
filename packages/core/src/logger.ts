// Structured logging: pino JSON on stdout (or readable lines on a terminal), an optional JSON file, secrets redacted.
import pino from 'pino';
import type { Config } from './config-schema.js';
import { redactUrl } from './config-redact.js';
import { formatLogLine } from './log-line-format.js';
import { RotatingFile } from './rotating-file.js';

export type Logger = pino.Logger;

/** `logging` as the schema gives it; only `level` is required, so a command can pass `{ level: 'warn' }`. */
export type LoggingOptions = Pick<Config['logging'], 'level'> & Partial<Omit<Config['logging'], 'level'>>;

/** Where log lines go; `process.stdout` unless a test passes its own. */
export interface LogOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/**
 * Keys whose values never reach a log. Wildcards match one level (`{ creds: { password } }`), so the
 * common secret names are listed at the top level and one level down.
 */
const SECRET_KEYS = ['password', 'token', 'secret', 'secretAccessKey', 'sessionToken', 'authorization', 'externalId'];
/** Keys holding URLs: logged, but with their credentials masked. */
const URL_KEYS = ['url', 'redisUrl'];
const REDACT_PATHS = [
  ...[...SECRET_KEYS, ...URL_KEYS].flatMap((key) => [key, `*.${key}`]),
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
];

function censor(value: unknown, path: string[]): unknown {
  if (URL_KEYS.includes(path[path.length - 1])) return typeof value === 'string' ? redactUrl(value) : value;
  return '***';
}

/**
 * A logger for one service or command. `logging.pretty` forces readable lines on or off; unset, they are used when
 * stdout is a terminal. `logging.file` adds a JSON copy of every line.
 *
 * @example const logger = createLogger(config.logging, { service: 'discovery' });
 */
export function createLogger(
  logging: LoggingOptions,
  bindings: { service: string } & Record<string, unknown>,
  output: LogOutput = process.stdout,
): Logger {
  // `logging.levels.<service>` overrides the global level for a whole process.
  const level = logging.levels?.[bindings.service] ?? logging.level;
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (level === 'silent' && !Object.values(logging.levels ?? {}).some((l) => l !== 'silent')) return pino(options).child(bindings);

  const pretty = logging.pretty ?? output.isTTY === true;
  const terminal: pino.DestinationStream =
    pretty
      ? { write: (line: string) => output.write(formatLogLine(line, { color: output.isTTY === true })) }
      : output === process.stdout
        ? pino.destination({ dest: 1, sync: true })
        : { write: (line: string) => output.write(line) };

  if (!logging.file) return pino(options, terminal).child(bindings);

  const rotate = { maxSizeMb: 50, maxFiles: 5, ...logging.rotate };
  const file = new RotatingFile(logging.file, { maxBytes: Math.round(rotate.maxSizeMb * 2 ** 20), maxFiles: rotate.maxFiles });
  // The logger's (and each component's) level filters; the streams pass everything they are given.
  const streams = pino.multistream([
    { level: 'trace', stream: terminal },
    { level: 'trace', stream: file },
  ]);
  return pino(options, streams).child(bindings);
}

/**
 * A child logger for one component of a process (`scheduler`, `metrics`, …) at `logging.levels.<component>`
 * when set, else at its parent's level.
 *
 * @example const log = componentLogger(ctx.logger, 'scheduler', config.logging);
 */
export function componentLogger(parent: Logger, component: string, logging: Pick<LoggingOptions, 'levels'>): Logger {
  const level = logging.levels?.[component];
  return level ? parent.child({ component }, { level }) : parent.child({ component });
}
