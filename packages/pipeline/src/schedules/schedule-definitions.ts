// The schedules a configuration asks for: the four built-in ones and the custom cron entries, as BullMQ repeat options.
import type { Config, ConfigIssue } from '@finops/core';
import { scheduleRunOptions, type ScheduleJobType } from '@finops/queues';
import type { z } from 'zod';

export type ScheduleRunOptions = z.infer<typeof scheduleRunOptions>;

/** When a schedule fires: every N ms, or a cron pattern (6 fields, seconds first; 5 fields accepted) in a time zone. */
export type ScheduleRepeat = { every: number } | { pattern: string; tz: string };

export interface ScheduleDefinition {
  /** Also the BullMQ job scheduler id. */
  id: string;
  type: ScheduleJobType;
  repeat: ScheduleRepeat;
  options: ScheduleRunOptions;
  /** Whether the configuration turns it on; an operator may still disable it (kept in Redis). */
  enabled: boolean;
  /** `every 15 min`, `daily 06:00 Europe/Berlin`: for listings. */
  describe: string;
}

/** The ids of the built-in schedules; custom schedules may not reuse them. */
export const BUILT_IN_SCHEDULE_IDS = ['monitoring', 'daily-optimization', 'weekly-report', 'monthly-budget-review'] as const;

const WEEKDAY_NUMBER = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 } as const;

/** `06:30` → `[30, 6]` (minute, hour), as cron fields. */
function minuteHour(time: string): [number, number] {
  const [hour, minute] = time.split(':').map(Number);
  return [minute, hour];
}

/**
 * Every schedule the configuration defines, enabled or not, in a stable order: built-ins first, then custom ones.
 * Custom options are assumed valid (see {@link checkScheduleOptions}, run when the configuration is loaded).
 */
export function scheduleDefinitions(schedules: Config['schedules']): ScheduleDefinition[] {
  const { monitoring, dailyOptimization: daily, weeklyReport: weekly, monthlyBudgetReview: monthly } = schedules;
  const [dm, dh] = minuteHour(daily.time);
  const [wm, wh] = minuteHour(weekly.time);
  const [mm, mh] = minuteHour(monthly.time);
  return [
    {
      id: 'monitoring',
      type: 'monitor',
      repeat: { every: monitoring.everyMinutes * 60_000 },
      options: {},
      enabled: monitoring.enabled,
      describe: `every ${monitoring.everyMinutes} min`,
    },
    {
      id: 'daily-optimization',
      type: 'scan',
      repeat: { pattern: `0 ${dm} ${dh} * * *`, tz: daily.timezone },
      options: {},
      enabled: daily.enabled,
      describe: `daily ${daily.time} ${daily.timezone}`,
    },
    {
      id: 'weekly-report',
      type: 'report',
      repeat: { pattern: `0 ${wm} ${wh} * * ${WEEKDAY_NUMBER[weekly.day]}`, tz: weekly.timezone },
      options: {},
      enabled: weekly.enabled,
      describe: `${weekly.day}s ${weekly.time} ${weekly.timezone}`,
    },
    {
      id: 'monthly-budget-review',
      type: 'budget-review',
      repeat: { pattern: `0 ${mm} ${mh} ${monthly.dayOfMonth} * *`, tz: monthly.timezone },
      options: {},
      enabled: monthly.enabled,
      describe: `monthly on day ${monthly.dayOfMonth} at ${monthly.time} ${monthly.timezone}`,
    },
    ...schedules.custom.map(
      (custom): ScheduleDefinition => ({
        id: custom.id,
        type: custom.job,
        repeat: { pattern: custom.cron, tz: custom.timezone },
        options: scheduleRunOptions.parse(custom.options),
        enabled: true,
        describe: `cron "${custom.cron}" ${custom.timezone}`,
      }),
    ),
  ];
}

/**
 * Problems in custom schedules that the config schema leaves open: options a scan does not take, and ids that
 * collide with a built-in schedule. Passed to loadConfig's `validate`, so they fail like any config error.
 */
export function checkScheduleOptions(schedules: Config['schedules']): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [index, custom] of schedules.custom.entries()) {
    if ((BUILT_IN_SCHEDULE_IDS as readonly string[]).includes(custom.id)) {
      issues.push({
        source: '',
        path: `schedules.custom[${index}].id`,
        message: `"${custom.id}" is a built-in schedule id (${BUILT_IN_SCHEDULE_IDS.join(', ')}): pick another id, or configure the built-in one`,
      });
    }
    const parsed = scheduleRunOptions.safeParse(custom.options);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // `options.services[0]`, as every other config path is written.
        const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
        issues.push({
          source: '',
          path: `schedules.custom[${index}].options${path}`,
          message: issue.code === 'unrecognized_keys' ? `unknown option(s) ${issue.keys.join(', ')} (known: services, regions, accounts)` : issue.message,
        });
      }
    }
  }
  return issues;
}
