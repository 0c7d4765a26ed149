// Validates cron expressions as BullMQ's job schedulers (cron-parser 5) read them, without depending on cron-parser.

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Upper-case names accepted for values (`JAN` = 1, `SUN` = 0). */
  names?: readonly string[];
  namesStartAt?: number;
  /** `L` alone (last day of month). */
  lastDay?: boolean;
  /** `5L` (last Friday) and `1#2` (second Monday). */
  weekdaySuffixes?: boolean;
}

const SECOND: CronField = { name: 'second', min: 0, max: 59 };
const MINUTE: CronField = { name: 'minute', min: 0, max: 59 };
const HOUR: CronField = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: CronField = { name: 'day of month', min: 1, max: 31, lastDay: true };
const MONTH: CronField = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  namesStartAt: 1,
};
const DAY_OF_WEEK: CronField = {
  name: 'day of week',
  min: 0,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  namesStartAt: 0,
  weekdaySuffixes: true,
};

/** The predefined expressions cron-parser accepts. */
const MACROS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@hourly',
  '@minutely',
  '@secondly',
  '@weekdays',
  '@weekends',
]);

/**
 * Returns what is wrong with a cron expression, or `undefined` when it is valid.
 * Accepts 5 fields (minute first) or 6 (seconds first), `* ? , - /`, `L`, `#`, `H`, month and weekday names and
 * the `@daily`-style macros.
 *
 * @example checkCronExpression('75 * * * *') // 'minute "75": 75 is outside 0–59'
 */
export function checkCronExpression(expression: string): string | undefined {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@')) {
    return MACROS.has(trimmed.toLowerCase()) ? undefined : `unknown macro "${trimmed}" (known: ${[...MACROS].join(', ')})`;
  }
  const parts = trimmed.split(/\s+/);
  let fields: CronField[];
  if (parts.length === 6) fields = [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
  else if (parts.length === 5) fields = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
  else return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${parts.length}`;

  for (const [index, part] of parts.entries()) {
    const problem = checkField(part, fields[index]);
    if (problem) return `${fields[index].name} "${part}": ${problem}`;
  }
  return undefined;
}

function checkField(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    if (item === '') return 'empty list item';
    const problem = checkItem(item.toUpperCase(), field);
    if (problem) return problem;
  }
  return undefined;
}

function checkItem(item: string, field: CronField): string | undefined {
  if (field.lastDay && item === 'L') return undefined;
  if (field.weekdaySuffixes) {
    const last = /^(\w+)L$/.exec(item);
    if (last) return checkValue(last[1], field);
    const nth = /^(\w+)#(\w+)$/.exec(item);
    if (nth) return checkValue(nth[1], field) ?? checkNumber(nth[2], 1, 5, 'occurrence');
  }

  const slash = item.split('/');
  if (slash.length > 2) return 'more than one "/"';
  const [base, step] = slash;
  if (step !== undefined) {
    const problem = checkNumber(step, 1, field.max, 'step');
    if (problem) return problem;
  }
  if (base === '*' || base === '?' || base === 'H') return undefined;

  const range = base.split('-');
  if (range.length > 2) return 'more than one "-"';
  if (range.length === 1) return checkValue(base, field);
  const [from, to] = range;
  const problem = checkValue(from, field) ?? checkValue(to, field);
  if (problem) return problem;
  if (valueOf(from, field) > valueOf(to, field)) return `range ${from}-${to} runs backwards`;
  return undefined;
}

function checkValue(text: string, field: CronField): string | undefined {
  if (field.names?.includes(text)) return undefined;
  if (!/^\d+$/.test(text)) {
    const names = field.names ? ` or ${field.names[0]}–${field.names[field.names.length - 1]}` : '';
    return `"${text}" is not a number${names}`;
  }
  return checkNumber(text, field.min, field.max, 'value');
}

function checkNumber(text: string, min: number, max: number, what: string): string | undefined {
  if (!/^\d+$/.test(text)) return `${what} "${text}" is not a whole number`;
  const value = Number(text);
  if (value < min || value > max) return `${value} is outside ${min}–${max}`;
  return undefined;
}

function valueOf(text: string, field: CronField): number {
  const index = field.names?.indexOf(text) ?? -1;
  return index >= 0 ? index + (field.namesStartAt ?? 0) : Number(text);
}
