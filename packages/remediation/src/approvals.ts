// Approving and rejecting recommendations: who decided, when, and the state (action, facts, tags) the decision is for.
import { executorFor, factsOf } from '@finops/aws';
import { UsageError } from '@finops/core';
import { remediationStores, type RemediationDeps } from './remediation-deps.js';
import type { ApprovalRecord } from './remediation-types.js';
import { resolveScan, scannedResources, scanRecommendations } from './scan-inputs.js';
import { stateDigest } from './state-digest.js';

export interface DecisionRequest {
  recommendationIds: string[];
  decision: 'approved' | 'rejected';
  /** `alice@laptop` (CLI), the API's authenticated principal. */
  actor: string;
  /** Required for a rejection. */
  reason?: string;
  /** The scan whose recommendations are decided on (default: the newest completed one). */
  scanId?: string;
}

/**
 * Records an approval or rejection per recommendation, in the state the scan saw: the recommended action, the
 * resource's facts and its tags. Before acting live, the resource is described again: if that state differs, the
 * approval is void. Unknown ids fail the whole request (nothing is recorded).
 *
 * @example await decide(deps, { recommendationIds: ['rec_0a1b…'], decision: 'approved', actor: 'alice@laptop' })
 */
export async function decide(deps: Pick<RemediationDeps, 'config' | 'redis' | 'scans' | 'now'>, request: DecisionRequest): Promise<ApprovalRecord[]> {
  if (request.recommendationIds.length === 0) throw new UsageError('name at least one recommendation id', { hint: 'ids look like rec_0123456789abcdef (see report.json or `finops apply` output)' });
  if (request.decision === 'rejected' && !request.reason?.trim()) throw new UsageError('a rejection needs a reason', { hint: 'pass --reason "…"' });
  const scan = await resolveScan(deps.scans, request.scanId);
  const recommendations = await scanRecommendations(deps.scans, scan);
  const unknown = request.recommendationIds.filter((id) => !recommendations.has(id));
  if (unknown.length > 0) {
    throw new UsageError(`no open recommendation ${unknown.join(', ')} in scan ${scan.plan.scanId}`, {
      hint: 'approve ids of the newest completed scan (report.json), or name the scan with --scan',
    });
  }
  const unsupported = request.recommendationIds.filter((id) => !executorFor(recommendations.get(id)!.action.type));
  if (unsupported.length > 0) {
    throw new UsageError(`no executor handles the action of ${unsupported.join(', ')}`, { hint: 'only actions the platform can carry out are approved' });
  }
  const { store, audit } = remediationStores(deps);
  const at = deps.now().toISOString();
  const inventories = new Map<string, Awaited<ReturnType<typeof scannedResources>>>();
  const records: ApprovalRecord[] = [];
  for (const id of new Set(request.recommendationIds)) {
    const recommendation = recommendations.get(id)!;
    const executor = executorFor(recommendation.action.type)!;
    const partition = `${recommendation.accountId}|${recommendation.region}`;
    let inventory = inventories.get(partition);
    if (!inventory) {
      inventory = await scannedResources(deps.scans, scan, recommendation.accountId, recommendation.region);
      inventories.set(partition, inventory);
    }
    const resource = inventory.get(`${recommendation.resourceKind}/${recommendation.resourceId}`);
    const facts = resource ? (factsOf(executor, resource) ?? {}) : {};
    const record: ApprovalRecord = {
      recommendationId: id,
      decision: request.decision,
      actor: request.actor,
      at,
      ...(request.reason ? { reason: request.reason } : {}),
      scanId: scan.plan.scanId,
      stateDigest: stateDigest(id, recommendation.action, facts, resource?.tags ?? recommendation.tags),
      facts,
      tags: resource?.tags ?? recommendation.tags,
      evidence: recommendation.evidence,
      actionType: recommendation.action.type,
      accountId: recommendation.accountId,
      region: recommendation.region,
      resourceId: recommendation.resourceId,
    };
    await store.saveApproval(record);
    await audit.append({
      at,
      event: request.decision,
      actor: request.actor,
      scanId: scan.plan.scanId,
      recommendationId: id,
      actionType: recommendation.action.type,
      accountId: recommendation.accountId,
      region: recommendation.region,
      resourceId: recommendation.resourceId,
      resourceKind: recommendation.resourceKind,
      before: facts,
      result: request.reason ? `${request.decision}: ${request.reason}` : request.decision,
      monthlySavingsUsd: recommendation.monthlySavingsUsd,
    });
    records.push(record);
  }
  return records;
}
