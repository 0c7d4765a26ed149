// Structured logging: pino JSON on stdout (or readable lines on a terminal), an optional JSON file, secrets redacted.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { Config } from './config-schema.js';
import { redactUrl } from './config-redact.js';
import { formatLogLine } from './log-line-format.js';

export type Logger = pino.Logger;

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
  logging: Config['logging'],
  bindings: { service: string } & Record<string, unknown>,
  output: LogOutput = process.stdout,
): Logger {
  const options: pino.LoggerOptions = {
    level: logging.level,
    redact: { paths: REDACT_PATHS, censor },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (logging.level === 'silent') return pino(options).child(bindings);

  const pretty = logging.pretty ?? output.isTTY === true;
  const terminal: pino.DestinationStream =
    pretty
      ? { write: (line: string) => output.write(formatLogLine(line, { color: output.isTTY === true })) }
      : output === process.stdout
        ? pino.destination({ dest: 1, sync: true })
        : { write: (line: string) => output.write(line) };

  if (!logging.file) return pino(options, terminal).child(bindings);

  mkdirSync(dirname(logging.file), { recursive: true });
  const file = pino.destination({ dest: logging.file, sync: true, append: true });
  const streams = pino.multistream([
    { level: logging.level, stream: terminal },
    { level: logging.level, stream: file },
  ]);
  return pino(options, streams).child(bindings);
}
