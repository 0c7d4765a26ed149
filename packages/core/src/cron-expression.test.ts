// checkCronExpression accepts what BullMQ's cron-parser accepts and says what is wrong with the rest.
import { describe, expect, it } from 'vitest';
import { checkCronExpression } from './cron-expression.js';

describe('checkCronExpression', () => {
  it.each([
    '* * * * *',
    '0 0 6 * * *',
    '*/15 9-17 * * MON-FRI',
    '0 30 8 1,15 jan-mar ?',
    '0 0 L * *',
    '0 0 * * 5L',
    '0 0 * * 1#2',
    '0 0 * * 7',
    'H 3 * * *',
    '5/10 * * * * *',
    '@daily',
    '@weekdays',
  ])('accepts %s', (expression) => {
    expect(checkCronExpression(expression)).toBeUndefined();
  });

  it.each([
    ['75 * * * *', 'minute "75": 75 is outside 0–59'],
    ['0 75 * * *', 'hour "75": 75 is outside 0–23'],
    ['60 * * * * *', 'second "60": 60 is outside 0–59'],
    ['0 0 24 * * *', 'hour "24": 24 is outside 0–23'],
    ['0 0 0 * *', 'day of month "0": 0 is outside 1–31'],
    ['0 0 1 13 *', 'month "13": 13 is outside 1–12'],
    ['0 0 * * 8', 'day of week "8": 8 is outside 0–7'],
    ['*/0 * * * *', 'minute "*/0": 0 is outside 1–59'],
    ['0 17-9 * * *', 'hour "17-9": range 17-9 runs backwards'],
    ['0 0 * * FUN', 'day of week "FUN": "FUN" is not a number or SUN–SAT'],
    ['0 0 * * 1#6', 'day of week "1#6": 6 is outside 1–5'],
    ['1,,2 * * * *', 'minute "1,,2": empty list item'],
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got 4'],
    ['@fortnightly', 'unknown macro "@fortnightly" (known: @yearly, @annually, @monthly, @weekly, @daily, @hourly, @minutely, @secondly, @weekdays, @weekends)'],
  ])('rejects %s', (expression, problem) => {
    expect(checkCronExpression(expression)).toBe(problem);
  });
});
