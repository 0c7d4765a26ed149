// The one typed source of queue names, job names and job payloads: producers and handlers both import it.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RESOURCE_KINDS, SERVICE_NAMES, type ServiceName } from '@finops/core';
import { notificationSchema } from '@finops/notifications';

/**
 * Worker roles. Each role is one deployable service (or, for `scheduler`, a small worker inside the api service)
 * and one or more queues.
 */
export const ROLES = ['discovery', 'analysis', 'optimizer', 'reporter', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Discovery and analysis call regional AWS APIs, so they get one queue per region: a worker pool can be pinned
 * to regions, and a slow or throttled region only fills its own queue. Optimizer and reporter are not regional.
 */
export const REGIONAL_ROLES: readonly Role[] = ['discovery', 'analysis'];

/** BullMQ queue name of a role (and region, for regional roles). Never contains `:`. */
export function queueName(role: Role, region?: string): string {
  if (REGIONAL_ROLES.includes(role)) {
    if (!region) throw new Error(`queue ${role} is regional: a region is required`);
    return `${role}-${region}`;
  }
  return role;
}

const scanId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'expected letters, digits, "-" or "_"');
const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region name');

export const discoverPayload = z.strictObject({ scanId, accountId, region, kind: z.enum(RESOURCE_KINDS) });
/**
 * Analysis of one kind in one partition, so a kind's metrics are fetched as soon as its own discovery ends, not after
 * the partition's slowest listing. `kind` is optional only for jobs queued before analysis was per kind: such a job
 * analyses every kind of its partition.
 */
export const analyzePayload = z.strictObject({ scanId, accountId, region, kind: z.enum(RESOURCE_KINDS).optional() });
/**
 * The cost checks of one group of kinds in one partition (ScanPlan.checkGroups): a group's checks run as soon as its
 * own kinds are analysed, not after the partition's slowest listing.
 */
export const checkPayload = z.strictObject({ scanId, accountId, region, kinds: z.array(z.enum(RESOURCE_KINDS)).min(1) });
/** Tracking of one partition's findings, once every check job of the partition is done (or, for a scan planned before check jobs, its checks too). */
export const optimizePayload = z.strictObject({ scanId, accountId, region });
export const reportPayload = z.strictObject({ scanId });
/** The scan's daily costs from Cost Explorer; `region` is the home region whose analysis queue runs it. */
export const costsPayload = z.strictObject({ scanId, region });

/**
 * What a schedule runs. `scan`: a full scan; `monitor`: discovery plus the anomaly check on cached cost data;
 * `report`: the weekly summary; `budget-review`: the monthly budget review. Each starts a scan whose plan carries
 * the type as its `purpose`, so the anomaly, budget and notification stages can hook in.
 */
export const SCHEDULE_JOB_TYPES = ['scan', 'monitor', 'report', 'budget-review', 'remediate'] as const;
export type ScheduleJobType = (typeof SCHEDULE_JOB_TYPES)[number];
const scheduleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case schedule id');
/** Per-run options a schedule may narrow a scan with. */
export const scheduleRunOptions = z.strictObject({
  services: z.array(z.enum(SERVICE_NAMES as [ServiceName, ...ServiceName[]])).min(1).optional(),
  regions: z.array(region).min(1).optional(),
  accounts: z.array(accountId).min(1).optional(),
});
export const scheduledRunPayload = z.strictObject({
  scheduleId,
  type: z.enum(SCHEDULE_JOB_TYPES),
  options: scheduleRunOptions.default({}),
  /** Set on a run an operator asked for ("run now"); absent on the scheduler's own ticks. */
  requestedAt: z.iso.datetime().optional(),
});

/** One notification to one channel (`notifications.channels[].id`). */
export const notifyPayload = z.strictObject({
  channelId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a channel id'),
  notification: notificationSchema,
});
/**
 * A scan's results to the backend sink, built from its report.json when delivered. The report's directory travels
 * with the job: a delivery that waits out a long outage does not depend on the scan's data in Redis.
 */
export const deliverPayload = z.strictObject({ scanId, reportDir: z.string().min(1) });

/** One remediation run's actions in one account and region; the run itself is stored in Redis (@finops/remediation). */
export const remediatePayload = z.strictObject({
  runId: z.string().regex(/^run-[A-Za-z0-9_-]{1,80}$/, 'expected a remediation run id (run-…)'),
  accountId,
  region,
});
/** Undo one applied action, for the operator (or API principal) in `actor`. */
export const rollbackActionPayload = z.strictObject({
  actionId: z.string().regex(/^act_[0-9a-f]{16,64}$/, 'expected an action id (act_…)'),
  actor: z.string().min(1).max(200),
  requestedAt: z.iso.datetime(),
});

/**
 * Queues outside the scan flows: each carries one job name, is served by a role's workers beside the role's own
 * queue, and retains failed jobs by age and count (a flow's failed jobs wait for an operator instead).
 */
export const STANDALONE_QUEUES = { notifications: 'reporter', deliveries: 'reporter', remediation: 'optimizer' } as const satisfies Record<string, Role>;
export type StandaloneQueue = keyof typeof STANDALONE_QUEUES;

/** Job name → payload schema and the role whose queue carries it (or the standalone queue, when named). */
export const JOBS = {
  discover: { role: 'discovery', payload: discoverPayload },
  analyze: { role: 'analysis', payload: analyzePayload },
  check: { role: 'optimizer', payload: checkPayload },
  optimize: { role: 'optimizer', payload: optimizePayload },
  report: { role: 'reporter', payload: reportPayload },
  costs: { role: 'analysis', payload: costsPayload },
  'scheduled-run': { role: 'scheduler', payload: scheduledRunPayload },
  notify: { role: 'reporter', queue: 'notifications', payload: notifyPayload },
  deliver: { role: 'reporter', queue: 'deliveries', payload: deliverPayload },
  remediate: { role: 'optimizer', queue: 'remediation', payload: remediatePayload },
  'rollback-action': { role: 'optimizer', queue: 'remediation', payload: rollbackActionPayload },
} as const satisfies Record<string, { role: Role; queue?: StandaloneQueue; payload: z.ZodType }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/**
 * Deterministic job ids: re-adding a scan's flow or retrying never duplicates work. Parts are joined with `.`
 * (BullMQ ids must not contain `:`).
 */
export const jobId = {
  discover: (p: JobPayload<'discover'>) => `${p.scanId}.discover.${p.accountId}.${p.region}.${p.kind}`,
  analyze: (p: JobPayload<'analyze'>) => `${p.scanId}.analyze.${p.accountId}.${p.region}${p.kind ? `.${p.kind}` : ''}`,
  /** A group is named by its kinds: `…check.111111111111.eu-west-1.ec2-instance+ebs-volume+elastic-ip`. */
  check: (p: JobPayload<'check'>) => `${p.scanId}.check.${p.accountId}.${p.region}.${p.kinds.join('+')}`,
  optimize: (p: JobPayload<'optimize'>) => `${p.scanId}.optimize.${p.accountId}.${p.region}`,
  report: (p: JobPayload<'report'>) => `${p.scanId}.report`,
  costs: (p: JobPayload<'costs'>) => `${p.scanId}.costs`,
  /** A "run now" job; the scheduler's own ticks get BullMQ's ids (`repeat:<scheduleId>:<millis>`). */
  'scheduled-run': (p: JobPayload<'scheduled-run'>) => `${p.scheduleId}.run-now.${p.requestedAt ? Date.parse(p.requestedAt) : 0}`,
  /** One job per (channel, event): the key is hashed because it may hold any character, `:` included. */
  notify: (p: JobPayload<'notify'>) => `notify.${p.channelId}.${createHash('sha256').update(p.notification.dedupKey).digest('hex').slice(0, 32)}`,
  deliver: (p: JobPayload<'deliver'>) => `deliver.${p.scanId}`,
  remediate: (p: JobPayload<'remediate'>) => `${p.runId}.remediate.${p.accountId}.${p.region}`,
  'rollback-action': (p: JobPayload<'rollback-action'>) => `rollback.${p.actionId}.${Date.parse(p.requestedAt)}`,
} satisfies { [N in JobName]: (p: JobPayload<N>) => string };

/** The queue that carries a job: its standalone queue, or its role's queue (per region for regional roles). */
export function jobQueueName(name: JobName, region?: string): string {
  const spec: { role: Role; queue?: StandaloneQueue } = JOBS[name];
  return spec.queue ?? queueName(spec.role, region);
}

/** Every queue a role's workers serve: its own (per region for regional roles), then its standalone queues. */
export function roleQueueNames(role: Role, regions: readonly string[]): string[] {
  const own = REGIONAL_ROLES.includes(role) ? regions.map((r) => queueName(role, r)) : [queueName(role)];
  const standalone = (Object.keys(STANDALONE_QUEUES) as StandaloneQueue[]).filter((q) => STANDALONE_QUEUES[q] === role);
  return [...own, ...standalone];
}
