// The configuration schema: one nested, strict zod schema with a default and a description beside every field.
import { z } from 'zod';
import { RESOURCE_KINDS, RISK_LEVELS, SERVICE_NAMES } from './model.js';

const regionName = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'expected an AWS region name such as "eu-west-1"');
const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (00:00–23:59)');
const timezone = z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Berlin" or "UTC"');
const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();
const percent = z.number().min(0).max(100);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const awsAccount = z.strictObject({
  id: accountId.describe('The 12-digit account id.'),
  name: z.string().optional().describe('A display name used in reports.'),
  roleName: z.string().min(1).optional().describe('Role to assume in this account (default: aws.roleName).'),
  externalId: z.string().min(1).optional().describe('External id for the AssumeRole call.'),
});

const aws = z
  .strictObject({
    provider: z
      .enum(['aws', 'simulated'])
      .default('aws')
      .describe('`aws` reads a real AWS estate; `simulated` serves the built-in simulated account (see `simulation`).'),
    defaultRegion: regionName
      .default('us-east-1')
      .describe('Region for global calls (STS, Organizations, Cost Explorer, Pricing). Env: FINOPS_AWS_REGION.'),
    regions: z
      .union([z.literal('all'), z.array(regionName).min(1, 'expected at least one region')])
      .default(['us-east-1'])
      .describe('Regions to scan: a list, or `all` for every enabled region (DescribeRegions). Env: FINOPS_REGIONS.'),
    accounts: z
      .array(awsAccount)
      .default([])
      .describe('Accounts reached by assuming a role. Empty: only the account of the default credentials.'),
    organization: z
      .boolean()
      .default(false)
      .describe('List the organization\'s active accounts (Organizations ListAccounts) and assume aws.roleName in each.'),
    roleName: z.string().min(1).default('FinOpsReadOnly').describe('Role name assumed in member accounts.'),
    externalId: z.string().min(1).optional().describe('Default external id for AssumeRole.'),
    maxAttempts: positiveInt
      .max(20)
      .default(10)
      .describe('SDK attempts per call, retries after a throttle or a transient error included (standard retry mode; with aws.rateLimits on, retries back off 0–100 ms × 2^n).'),
    endpoint: z
      .url()
      .optional()
      .describe('Override every client\'s endpoint. Leave unset to let AWS_ENDPOINT_URL[_<SERVICE>] and profiles decide.'),
    rateLimits: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('Every AWS request, each retry included, waits for a token from a bucket in Redis shared by all replicas, per (account, region, API), holding 95% of AWS\'s rate and 80% of its burst.'),
        overrides: z
          .record(
            z.string().regex(/^[a-z0-9-]+(\.[A-Za-z0-9.-]+)?$/, 'expected a bucket name such as "ec2", "ec2.DescribeInstances" or "lambda.control-plane"'),
            z.strictObject({
              burst: positiveInt.describe('Tokens the bucket holds when full.'),
              refillPerSec: z.number().positive().describe('Tokens added per second.'),
            }),
          )
          .default({})
          .describe('AWS\'s bucket sizes by bucket name (`ec2.DescribeInstances`) or service (`ec2`), e.g. a raised quota, over the documented defaults.'),
      })
      .prefault({})
      .describe('Client-side rate limits shared across worker replicas (needs Redis; off in tests without one).'),
  })
  .prefault({})
  .describe('Where the estate is: real AWS or the simulated account; accounts and regions.');

const services = z
  .strictObject(
    Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, z.boolean().default(true).describe(`Scan ${name} resources.`)]),
    ) as Record<(typeof SERVICE_NAMES)[number], z.ZodDefault<z.ZodBoolean>>,
  )
  .prefault({})
  .describe('AWS services to scan. `--services ec2,rds` overrides per run.');

/** Per-check settings. Each check's own strict schema validates its entry (see @finops/checks). */
const checks = z
  .record(z.string(), z.record(z.string(), z.unknown()))
  .default({})
  .describe('Per-check `enabled` and thresholds, keyed by check id (`finops checks list`).');

/** A config suppression: recommendations matching every field given are listed as suppressed with the reason. */
const suppressRule = z
  .strictObject({
    checkId: z
      .string()
      .regex(/^[a-z0-9*][a-z0-9*-]*$/, 'expected a check id such as "ebs-gp2-volume" (`*` matches any run of characters)')
      .optional()
      .describe('Check id; `*` matches any run of characters (`ec2-*`).'),
    accountId: accountId.optional().describe('Account id.'),
    region: regionName.optional().describe('Region.'),
    resourceId: z.string().min(1).optional().describe('Resource id; `*` matches any run of characters (`vol-0abc*`).'),
    reason: z.string().min(1).describe('Why: shown in the report\'s suppressed section.'),
  })
  .refine((rule) => rule.checkId !== undefined || rule.accountId !== undefined || rule.region !== undefined || rule.resourceId !== undefined, {
    message: 'expected at least one of checkId, accountId, region, resourceId',
  });

const optimization = z
  .strictObject({
    minMonthlySavingsUsd: nonNegative.default(0).describe('Recommendations saving less than this (USD/month) are not reported.'),
    riskLevels: z
      .array(z.enum(RISK_LEVELS as [string, ...string[]]))
      .min(1)
      .default(['low', 'medium', 'high'])
      .describe('Risk levels to report.'),
    lookbackDays: positiveInt.max(455).default(14).describe('Utilization lookback for checks, in days.'),
    unusedLookbackDays: positiveInt.max(455).default(30).describe('Lookback for "unused" checks, in days.'),
    metricPeriodSec: z
      .union([z.literal(300), z.literal(3600), z.literal(86400)])
      .default(3600)
      .describe(
        'CloudWatch period of the utilization window: 300, 3600 (hourly) or 86400 (daily). Metrics checks read only as per-day totals (EC2 network, load balancer requests and flows, the operations of volumes without provisioned IOPS) are fetched daily whatever it is.',
      ),
    suppressTagKeys: z
      .array(z.string().min(1))
      .default(['finops:ignore'])
      .describe('Resources carrying any of these tag keys are listed as suppressed, not counted.'),
    suppress: z
      .array(suppressRule)
      .default([])
      .describe('Suppression rules {checkId, accountId, region, resourceId, reason}: matching recommendations are listed as suppressed, not counted.'),
    trackingRetentionDays: positiveInt
      .max(3650)
      .default(90)
      .describe('Days a recommendation\'s history (first seen, seen count), and a dismissal without end, are kept after it was last seen.'),
  })
  .prefault({})
  .describe('What is reported: savings floor, risk levels, utilization windows, suppressions and tracking.');

function anomalySeverityLevel(impactUsdPerDay: number, deviationPercent: number) {
  return z
    .strictObject({
      impactUsdPerDay: nonNegative.default(impactUsdPerDay).describe('Impact over the baseline, USD per day (average over the anomaly\'s days).'),
      deviationPercent: nonNegative.default(deviationPercent).describe('Impact as a percentage of the baseline.'),
    })
    .prefault({});
}

const anomalyDetection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Detect cost anomalies in the daily cost series.'),
    lookbackDays: positiveInt.max(395).default(90).describe('Days of daily cost fetched from Cost Explorer.'),
    baselineDays: positiveInt
      .min(14, 'expected at least 14: the weekday baseline needs two samples of each weekday')
      .default(56)
      .describe('Window of the seasonal baseline, in days: a day is compared with the median of the same weekday in it.'),
    minHistoryDays: positiveInt
      .min(14, 'expected at least 14: the weekday baseline needs two samples of each weekday')
      .default(14)
      .describe('A series is judged only once it has had cost for this many days; before, it is listed as lacking history.'),
    minImpactUsdPerDay: nonNegative.default(25).describe('An anomaly must exceed the baseline by more than this many USD per day…'),
    minDeviationPercent: nonNegative.default(30).describe('…and by more than this percentage of the baseline.'),
    minRobustZScore: nonNegative
      .default(3)
      .describe('…and by more than this many times the series\' usual day-to-day spread (a robust standard deviation), so a noisy series does not alert on its ordinary swings.'),
    tagKeys: z.array(z.string().min(1)).default([]).describe('Cost-allocation tag keys to watch as series.'),
    severity: z
      .strictObject({
        medium: anomalySeverityLevel(100, 30).describe('Medium from this impact (USD per day) and deviation (%), both.'),
        high: anomalySeverityLevel(250, 50).describe('High from this impact (USD per day) and deviation (%), both.'),
        critical: anomalySeverityLevel(1000, 100).describe('Critical from this impact (USD per day) and deviation (%), both.'),
      })
      .prefault({})
      .describe('An anomaly takes the highest level whose impact and deviation it both reaches; every anomaly is at least low.'),
    alertMinSeverity: z
      .enum(['low', 'medium', 'high', 'critical'])
      .default('high')
      .describe('Anomalies at or above this severity raise a `critical-anomaly` alert: once when they open, once per level they escalate to.'),
    alertEndedWithinDays: positiveInt
      .default(7)
      .describe('An anomaly first seen after it ended is alerted only if it ended within this many days (older ones, e.g. on a first scan, are only reported).'),
    usageTypeLookups: z
      .number()
      .int()
      .nonnegative()
      .default(10)
      .describe('Cost Explorer USAGE_TYPE lookups per evaluation to name the usage type of new anomalies (≥ $0.01 each, cached); 0 stops at service, region and account.'),
  })
  .refine((a) => a.minHistoryDays <= a.baselineDays, { path: ['minHistoryDays'], message: 'expected at most anomalyDetection.baselineDays' })
  .prefault({})
  .describe('Cost anomalies: an anomaly needs both the dollar impact per day and the relative deviation.');

const costs = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Fetch daily costs from Cost Explorer once per scan (a `costs` job), cached in Redis.'),
    lookbackDays: positiveInt
      .max(393, 'expected at most 393 days: Cost Explorer keeps 13 months plus the current one')
      .default(90)
      .describe('Days of daily cost fetched (at least anomalyDetection.lookbackDays when anomaly detection is enabled).'),
    cacheTtlHours: z
      .number()
      .positive()
      .max(168)
      .default(8)
      .describe('How long fetched costs are reused by every scan and replica; Cost Explorer refreshes up to 3 times a day.'),
    topN: positiveInt.max(100).default(10).describe('Services listed in the report\'s cost summary.'),
  })
  .prefault({})
  .describe('Costs from Cost Explorer: $0.01 per request (every page counts), so results are shared through Redis.');

const pricing = z
  .strictObject({
    overrideFile: z
      .string()
      .min(1)
      .default('.finops/prices.json')
      .describe('Price table written by `finops pricing refresh`, merged over the bundled table when the file exists.'),
  })
  .prefault({})
  .describe('Prices: the bundled table, refreshed from the AWS Price List API on demand.');

const budget = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case id'),
  name: z.string().optional(),
  parent: z.string().optional().describe('Id of the parent budget.'),
  period: z.enum(['monthly', 'quarterly']).default('monthly'),
  amountUsd: z.number().positive(),
  scope: z
    .strictObject({
      accounts: z.array(accountId).optional(),
      services: z.array(z.string().min(1)).optional(),
      tags: z.record(z.string(), z.array(z.string())).optional(),
    })
    .default({}),
  thresholdsPercent: z.array(percent.positive()).default([50, 80, 100]).describe('Alert once per period when actual spend reaches each percentage.'),
  forecastThresholdsPercent: z
    .array(percent.positive())
    .optional()
    .describe('Alert once per period when the forecast reaches each percentage (default: thresholdsPercent).'),
  requireApprovalAbovePercent: z
    .number()
    .positive()
    .optional()
    .describe('While actual spend is at or above this percentage, remediation in the budget\'s scope needs an operator\'s approval.'),
});

const budgets = z
  .strictObject({
    items: z.array(budget).default([]).describe('Hierarchical budgets; a child\'s amount must not exceed its parent\'s.'),
  })
  .prefault({})
  .describe('Budgets with actuals, forecasts and alert thresholds.');

const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const schedules = z
  .strictObject({
    monitoring: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Discovery plus an anomaly check on cached cost data.'),
        everyMinutes: positiveInt.default(60).describe('Minutes between runs.'),
      })
      .prefault({}),
    dailyOptimization: z
      .strictObject({
        enabled: z.boolean().default(false).describe('A full scan every day.'),
        time: hhmm.default('06:00').describe('Local time of day, HH:MM.'),
        timezone: timezone.default('UTC').describe('IANA time zone of `time`.'),
      })
      .prefault({}),
    weeklyReport: z
      .strictObject({
        enabled: z.boolean().default(false).describe('A summary report every week.'),
        day: weekday.default('monday').describe('Day of the week.'),
        time: hhmm.default('08:00').describe('Local time of day, HH:MM.'),
        timezone: timezone.default('UTC').describe('IANA time zone of `time`.'),
      })
      .prefault({}),
    monthlyBudgetReview: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Review budgets once a month.'),
        dayOfMonth: z.number().int().min(1).max(28).default(1).describe('Day of the month (1–28).'),
        time: hhmm.default('09:00').describe('Local time of day, HH:MM.'),
        timezone: timezone.default('UTC').describe('IANA time zone of `time`.'),
      })
      .prefault({}),
    custom: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case id'),
          cron: z.string().min(1).describe('6-field cron (seconds first) or 5-field cron.'),
          timezone: timezone.default('UTC'),
          job: z.enum(['scan', 'report', 'monitor', 'budget-review', 'remediate']),
          options: z.record(z.string(), z.unknown()).default({}),
        }),
      )
      .default([])
      .describe('Custom schedules: {id, cron, timezone, job: scan|report|monitor|budget-review|remediate, options}; `remediate` acts on the newest scan (live only when safety.dryRun is false; safety.autoApprove applies).'),
  })
  .prefault({})
  .describe('Recurring runs (BullMQ job schedulers), upserted once at start-up.');

const reporting = z
  .strictObject({
    outputDir: z.string().min(1).default('./reports').describe('Reports go to <outputDir>/<scanId>/.'),
    formats: z
      .array(z.enum(['json', 'md', 'csv', 'html']))
      .min(1)
      .default(['json', 'md', 'csv', 'html'])
      .describe('Files written per scan (report.json is always written): md, csv (recommendations), html (self-contained, with charts).'),
  })
  .prefault({})
  .describe('Report files.');

/** Events a notification channel can subscribe to. */
export const NOTIFICATION_EVENTS = ['critical-anomaly', 'budget-threshold', 'high-savings', 'weekly-summary', 'scan-failure'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

const notificationChannel = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a kebab-case id such as "ops-slack"')
      .describe('Names the channel in logs, job ids and deduplication keys.'),
    type: z.enum(['slack', 'webhook', 'sns', 'email']),
    url: z.url({ protocol: /^https?$/ }).optional().describe('slack: the incoming-webhook URL; webhook: the endpoint (it receives a signed JSON POST).'),
    secret: z.string().min(16, 'expected at least 16 characters').optional().describe('webhook: HMAC-SHA256 key of the X-Finops-Signature header.'),
    topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/, 'expected an SNS topic ARN').optional().describe('sns: the topic.'),
    to: z.array(z.email()).min(1).optional().describe('email: recipients (needs notifications.smtp).'),
    events: z
      .array(z.enum(NOTIFICATION_EVENTS))
      .default(['critical-anomaly', 'budget-threshold', 'scan-failure'])
      .describe('Events sent to this channel.'),
    ratePerMinute: positiveInt.max(6000).default(20).describe('At most this many messages per minute to this channel, across every replica.'),
  })
  .superRefine((channel, ctx) => {
    const needs = { slack: 'url', webhook: 'url', sns: 'topicArn', email: 'to' } as const;
    const field = needs[channel.type];
    if (channel[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `a ${channel.type} channel needs \`${field}\`` });
  });

const notifications = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Send notifications.'),
    channels: z
      .array(notificationChannel)
      .default([])
      .describe('Channels: {id, type: slack|webhook|sns|email, url|topicArn|to, secret, events, ratePerMinute}.'),
    highSavingsThresholdUsd: nonNegative
      .default(100)
      .describe('A new recommendation saving at least this much (USD/month) raises a `high-savings` notification.'),
    attempts: positiveInt.max(50).default(8).describe('Attempts per notification on 5xx, 429 and network errors; a 4xx other than 429 is not retried.'),
    backoffMs: positiveInt.default(5000).describe('Base of the exponential backoff between attempts.'),
    timeoutMs: positiveInt.default(10000).describe('Timeout of one send.'),
    concurrency: positiveInt.max(100).default(4).describe('Notifications sent at once per reporter process.'),
    dedupDays: positiveInt.default(30).describe('How long a sent notification\'s deduplication key is remembered.'),
    reportBaseUrl: z.url().optional().describe('Base URL of the API, for report links in messages (e.g. https://finops.example.com).'),
    smtp: z
      .strictObject({
        host: z.string().min(1).describe('SMTP server.'),
        port: z.number().int().min(1).max(65535).default(587).describe('587 (STARTTLS), 465 (TLS) or 25.'),
        secure: z.boolean().default(false).describe('TLS from the first byte (port 465); otherwise STARTTLS when offered.'),
        from: z.string().min(3).describe('Sender, e.g. "FinOps <finops@example.com>".'),
        username: z.string().optional(),
        password: z.string().optional(),
      })
      .optional()
      .describe('SMTP server for email channels.'),
  })
  .prefault({})
  .describe('Where alerts and summaries go: one message per event and channel, deduplicated, retried, rate-limited.');

const backend = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Base URL of a backend that receives each scan\'s results (POST <url>/scans). Unset: nothing is sent.'),
    token: z.string().min(1).optional().describe('Sent as `Authorization: Bearer <token>`.'),
    healthPath: z.string().startsWith('/').default('/health').describe('Health endpoint under `url` (GET <url>/health), checked for a 2xx before each delivery.'),
    timeoutMs: positiveInt.default(10000).describe('Timeout of one request.'),
    retryBaseMs: positiveInt.default(5000).describe('While the backend is down, deliveries wait this long, doubling…'),
    retryMaxMs: positiveInt.default(300000).describe('…up to this long between tries. They wait as long as it takes.'),
  })
  .prefault({})
  .describe('Optional backend sink: scan results are posted after each scan, with an idempotency key, and kept queued while it is down.');

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const logging = z
  .strictObject({
    level: logLevel.default('info').describe('Env: FINOPS_LOG_LEVEL.'),
    pretty: z.boolean().optional().describe('Human-readable logs. Default: when writing to a terminal.'),
    file: z.string().optional().describe('Also write JSON logs to this file.'),
    rotate: z
      .strictObject({
        maxSizeMb: z.number().positive().default(50).describe('The log file is rotated when it grows past this size.'),
        maxFiles: positiveInt.max(100).default(5).describe('Rotated files kept (`finops.log.1` is the newest).'),
      })
      .prefault({})
      .describe('Rotation of `logging.file`.'),
    levels: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a component name such as "discovery" or "scheduler"'), logLevel)
      .default({})
      .describe('Level per component (a service such as `discovery`, or `scheduler`, `metrics`, `aws-status`), over `level`.'),
  })
  .prefault({})
  .describe('pino logs: JSON by default, human-readable in a terminal.');

const safety = z
  .strictObject({
    dryRun: z.boolean().default(true).describe('Record what would be done and change nothing. Env: FINOPS_DRY_RUN.'),
    allowedActions: z
      .array(z.string().min(1))
      .default([])
      .describe('Action kinds that may run live (`ec2.stop-instance`, `ec2.release-address`, …); any other stays a recommendation.'),
    approvalRequiredFrom: z
      .enum(RISK_LEVELS as [string, ...string[]])
      .default('medium')
      .describe('Recommendations at or above this risk need an approval before they run live.'),
    autoApprove: z.array(z.string().min(1)).default([]).describe('Low-risk action kinds approved for scheduled runs.'),
    maxActionsPerRun: positiveInt.default(10).describe('A live run stops after this many actions per account and region; the rest stay pending.'),
    protectedTags: z.array(z.string().min(1)).default(['finops:protect']).describe('Resources with these tag keys are never changed.'),
    approvalMaxAgeDays: positiveInt.max(365).default(30).describe('An approval older than this no longer counts.'),
    auditRetentionDays: positiveInt.max(3650).default(400).describe('Entries of the audit trail (a Redis stream) older than this are trimmed.'),
    waitTimeoutSec: positiveInt.max(7200).default(900).describe('How long an action waits for AWS to reach the new state before it is retried.'),
    archiveSnapshots: z
      .boolean()
      .default(false)
      .describe('Move EBS snapshots to the archive tier instead of deleting them (ebs.delete-snapshot): 75% cheaper, 90-day minimum.'),
  })
  .prefault({})
  .describe('Remediation safety: dry run by default.');

const redis = z
  .strictObject({
    url: z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'expected a redis:// or rediss:// URL')
      .optional()
      .describe('Redis to use. Env: FINOPS_REDIS_URL or REDIS_URL. Unset: 127.0.0.1:6379 if it answers, else a managed redis-server.'),
    prefix: z
      .string()
      .regex(/^\{[A-Za-z0-9_-]+\}$|^[A-Za-z0-9_{}-]+$/, 'expected letters, digits, "-", "_" and a {hash-tag}, no ":"')
      .default('{finops}')
      .describe('Key prefix of every queue and key; the {hash tag} keeps them in one Redis Cluster slot.'),
    managed: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Start a local redis-server when no Redis is given or found.'),
        dataDir: z.string().min(1).default('.finops/redis').describe('Append-only files of the managed Redis.'),
        useLocalDefault: z.boolean().default(true).describe('Try 127.0.0.1:6379 before starting one.'),
      })
      .prefault({})
      .describe('A local Redis for the CLI and the demo; services are always given one.'),
  })
  .prefault({})
  .describe('Redis for queues and scan data; it must use maxmemory-policy noeviction.');

const roleConcurrency = positiveInt.max(1000);
const workers = z
  .strictObject({
    concurrency: z
      .strictObject({
        discovery: roleConcurrency.default(8).describe('Concurrent discovery jobs per regional queue and process.'),
        analysis: roleConcurrency.default(4).describe('Concurrent analysis jobs per regional queue and process.'),
        optimizer: roleConcurrency.default(2).describe('Concurrent optimization jobs per process.'),
        reporter: roleConcurrency.default(1).describe('Concurrent report jobs per process.'),
        scheduler: roleConcurrency.default(1).describe('Concurrent scheduled runs per process (each only queues a scan).'),
      })
      .prefault({})
      .describe('Jobs each worker process runs at once, per role.'),
    regions: z
      .array(regionName)
      .optional()
      .describe('Pin discovery and analysis workers to these regions (default: every scanned region).'),
    attempts: positiveInt.max(50).default(3).describe('Attempts per job before it fails and waits for an operator.'),
    backoffMs: positiveInt.default(2000).describe('Base of the exponential backoff between attempts.'),
    shutdownTimeoutMs: positiveInt.default(30000).describe('How long in-flight jobs may take to finish on SIGTERM.'),
    lockDurationMs: positiveInt
      .min(1000, 'expected at least 1000 ms')
      .default(30000)
      .describe('Lock of a running job, renewed while it runs; a worker killed mid-job has its job recovered once the lock expires.'),
    stalledIntervalMs: positiveInt
      .min(500, 'expected at least 500 ms')
      .default(30000)
      .describe('How often workers look for stalled jobs (expired locks) and return them to the queue.'),
    retention: z
      .strictObject({
        completedAgeSec: positiveInt.default(7 * 24 * 3600).describe('Completed jobs are removed after this many seconds…'),
        completedCount: positiveInt.default(5000).describe('…or when more than this many are kept, per queue.'),
        failedAgeSec: positiveInt
          .default(30 * 24 * 3600)
          .describe('Failed jobs outside scan flows are removed after this many seconds… (failed flow jobs wait for a retry)'),
        failedCount: positiveInt.default(10000).describe('…or when more than this many are kept, per queue.'),
        scanDataDays: positiveInt.default(30).describe('Days a scan\'s stored inventory and results are kept in Redis.'),
      })
      .prefault({})
      .describe('How long BullMQ keeps finished jobs, and scan data.'),
    healthPort: z.number().int().min(0).max(65535).default(0).describe('Port of the worker health server; 0 disables it.'),
  })
  .prefault({})
  .describe('Worker processes. Env FINOPS_WORKER_REGIONS or --regions pins a pool to regions.');

const apiAuth = z.union([
  z.literal('none'),
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(8, 'expected at least 8 characters') }),
  z.strictObject({ type: z.literal('bearer'), token: z.string().min(16, 'expected at least 16 characters') }),
]);

const api = z
  .strictObject({
    host: z.string().default('127.0.0.1').describe('Interface the API listens on.'),
    port: z.number().int().min(0).max(65535).default(3000).describe('Port of the API. Env: FINOPS_API_PORT.'),
    auth: apiAuth
      .optional()
      .describe('Credentials for Bull Board and the write API: {type: basic, …}, {type: bearer, token}, or `none` (explicit).'),
    bodyLimit: z.string().default('100kb').describe('Largest request body accepted.'),
    metrics: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Serve Prometheus metrics at GET /metrics (and on workers.healthPort).'),
        auth: z.boolean().default(false).describe('Require api.auth credentials for the API\'s /metrics.'),
      })
      .prefault({})
      .describe('Prometheus metrics.'),
  })
  .prefault({})
  .describe('The API service with Bull Board at /admin/queues.');

const simulation = z
  .strictObject({
    seed: z.number().int().default(42).describe('Same seed and size, same estate.'),
    accounts: z.array(accountId).min(1).default(['111111111111', '222222222222']).describe('Simulated account ids.'),
    resourcesPerRegion: positiveInt.max(1_000_000).default(60).describe('Approximate resources per account and region.'),
    latencyMs: z
      .strictObject({ min: nonNegative.default(0).describe('Shortest latency, ms.'), max: nonNegative.default(0).describe('Longest latency, ms.') })
      .prefault({})
      .describe('Simulated latency of each AWS call.'),
    throttleRate: z.number().min(0).max(1).default(0).describe('Fraction of calls answered with a throttling error.'),
    rateLimits: z.boolean().default(false).describe('Enforce AWS per-API token buckets per account and region.'),
    denied: z
      .array(z.strictObject({ accountId: accountId.optional(), region: regionName.optional(), action: z.string().optional() }))
      .default([])
      .describe('Calls answered with AccessDenied/UnauthorizedOperation, to rehearse partial failure.'),
    endpoint: z
      .url({ protocol: /^http$/ })
      .optional()
      .describe(
        'URL of a simulated-AWS process (`finops simulate-aws`) that answers every process\'s calls from one estate with one set of AWS rate limits. Unset: each process simulates the account itself.',
      ),
  })
  .prefault({})
  .describe('The simulated AWS account (aws.provider: simulated).');

export const configSchema = z.strictObject({
  aws,
  services,
  checks,
  optimization,
  costs,
  pricing,
  anomalyDetection,
  budgets,
  schedules,
  reporting,
  notifications,
  backend,
  logging,
  safety,
  redis,
  workers,
  api,
  simulation,
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export const RESOURCE_KIND_SCHEMA = z.enum(RESOURCE_KINDS);
