// The one typed source of queue names, job names and job payloads: producers and handlers both import it.
import { z } from 'zod';
import { RESOURCE_KINDS } from '@finops/core';

/** Worker roles. Each role is one deployable service and one or more queues. */
export const ROLES = ['discovery', 'analysis', 'optimizer', 'reporter'] as const;
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
export const analyzePayload = z.strictObject({ scanId, accountId, region });
export const optimizePayload = z.strictObject({ scanId, accountId, region });
export const reportPayload = z.strictObject({ scanId });

/** Job name → payload schema and the role whose queue carries it. */
export const JOBS = {
  discover: { role: 'discovery', payload: discoverPayload },
  analyze: { role: 'analysis', payload: analyzePayload },
  optimize: { role: 'optimizer', payload: optimizePayload },
  report: { role: 'reporter', payload: reportPayload },
} as const satisfies Record<string, { role: Role; payload: z.ZodType }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/**
 * Deterministic job ids: re-adding a scan's flow or retrying never duplicates work. Parts are joined with `.`
 * (BullMQ ids must not contain `:`).
 */
export const jobId = {
  discover: (p: JobPayload<'discover'>) => `${p.scanId}.discover.${p.accountId}.${p.region}.${p.kind}`,
  analyze: (p: JobPayload<'analyze'>) => `${p.scanId}.analyze.${p.accountId}.${p.region}`,
  optimize: (p: JobPayload<'optimize'>) => `${p.scanId}.optimize.${p.accountId}.${p.region}`,
  report: (p: JobPayload<'report'>) => `${p.scanId}.report`,
} satisfies { [N in JobName]: (p: JobPayload<N>) => string };
