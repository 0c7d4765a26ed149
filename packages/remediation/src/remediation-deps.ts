// What remediation runs with: configuration, Redis, the scan store, and — where actions run — AWS and the queues.
import type { ClientSource, WaiterTiming } from '@finops/aws';
import type { Config, Logger } from '@finops/core';
import type { QueueSet, ScanStore } from '@finops/queues';
import type { Redis } from 'ioredis';
import { AuditTrail } from './audit-trail.js';
import { NO_BUDGET_REQUIRES_APPROVAL, type BudgetApprovalGate } from './budget-gate.js';
import { RemediationStore } from './remediation-store.js';

export interface RemediationDeps {
  config: Config;
  redis: Redis;
  scans: ScanStore;
  /** AWS clients with each account's credentials: needed where actions and rollbacks run (the optimizer workers). */
  access?: ClientSource;
  /** Needed to queue runs and rollbacks (CLI, API, schedules). */
  queues?: QueueSet;
  /** Default: no budget requires approval. */
  budgets?: BudgetApprovalGate;
  /**
   * Recommendations an operator dismissed (`finops dismiss`), by id, with why: never acted on. Default: none is
   * dismissed (where no dismissal store is wired).
   */
  dismissed?: (recommendationIds: readonly string[]) => Promise<Map<string, string>>;
  now: () => Date;
  logger?: Logger;
  /** Waiter timing over safety.waitTimeoutSec (tests poll faster). */
  waiter?: Partial<WaiterTiming>;
  /** How a Lambda package is downloaded (default: fetch). */
  fetchBytes?: (url: string) => Promise<Uint8Array>;
}

/** The Redis-backed stores of remediation, built from the deps. */
export function remediationStores(deps: Pick<RemediationDeps, 'config' | 'redis' | 'now'>): { store: RemediationStore; audit: AuditTrail } {
  const { prefix } = deps.config.redis;
  const retentionDays = deps.config.safety.auditRetentionDays;
  return {
    store: new RemediationStore(deps.redis, { prefix, retentionDays }),
    audit: new AuditTrail(deps.redis, { prefix, retentionDays }),
  };
}

export function budgetGate(deps: Pick<RemediationDeps, 'budgets'>): BudgetApprovalGate {
  return deps.budgets ?? NO_BUDGET_REQUIRES_APPROVAL;
}
