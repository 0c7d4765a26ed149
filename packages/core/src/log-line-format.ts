// Renders one pino JSON line for a human: `12:04:05.120 INFO  [discovery] scan started scanId=s-1 regions=2`.

const LEVEL_COLORS: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[35m',
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

/** Fields shown in the line's fixed part, or not at all, rather than as `key=value`. */
const FIXED_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'err']);

export interface LogLineFormatOptions {
  /** ANSI colours for the level and the field names. */
  color: boolean;
}

/**
 * One log line (JSON, as pino writes it) as readable text ending in a newline. Lines that are not JSON pass through.
 *
 * @example formatLogLine('{"level":"info","time":"…","service":"api","msg":"listening","port":3000}\n', { color: false })
 * // '12:00:00.000 INFO  [api] listening port=3000\n'
 */
export function formatLogLine(line: string, { color }: LogLineFormatOptions): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }

  const level = String(entry.level ?? 'info');
  const levelText = level.toUpperCase().padEnd(5);
  const paint = (code: string | undefined, text: string): string => (color && code ? `${code}${text}${RESET}` : text);

  const parts = [formatTime(entry.time), paint(LEVEL_COLORS[level], levelText)];
  if (entry.service !== undefined) parts.push(`[${String(entry.service)}]`);
  if (entry.msg !== undefined) parts.push(String(entry.msg));
  for (const [key, value] of Object.entries(entry)) {
    if (FIXED_FIELDS.has(key)) continue;
    parts.push(`${paint(DIM, `${key}=`)}${formatFieldValue(value)}`);
  }

  let text = parts.join(' ');
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err) text += `\n    ${(err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`).replace(/\n/g, '\n    ')}`;
  return `${text}\n`;
}

function formatTime(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date();
  if (Number.isNaN(date.getTime())) return String(time);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function formatFieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
