// The job handler registry: exactly one handler per job name, grouped by the role whose service runs it.
import type { Role, JobHandlers } from '@finops/queues';
import { analyzeHandler } from './analyze.js';
import { checkHandler } from './check.js';
import { costsHandler } from './costs.js';
import { deliverHandler } from './deliver.js';
import { discoverHandler } from './discover.js';
import { notifyHandler } from './notify.js';
import { optimizeHandler } from './optimize.js';
import { remediateHandler, rollbackActionHandler } from './remediate.js';
import { reportHandler } from './report.js';
import type { PipelineDeps } from './shared.js';

export type { PipelineDeps } from './shared.js';
export { enqueueNotification, notifyOnScanFailures, publishReport, sendWeeklySummary, standaloneRetention, type PublishedReport } from './notify.js';
export { BACKEND_STATUS_ID, backendWaitMs } from './deliver.js';
export { budgetApprovalGate, dismissedRecommendations, remediationDeps } from './remediate.js';
/** What a scan asks CloudWatch and Cost Explorer for: the benchmark computes the minimum calls from the same answers. */
export { metricSelection } from './analyze.js';
export { costGroupings, costLookbackDays } from './costs.js';

/** The scan pipeline's roles; the `scheduler` role's handler lives in ../schedules (it starts scans). */
export function handlersFor(role: Exclude<Role, 'scheduler'>, deps: PipelineDeps): JobHandlers {
  switch (role) {
    case 'discovery':
      return { discover: discoverHandler(deps) };
    case 'analysis':
      return { analyze: analyzeHandler(deps), costs: costsHandler(deps) };
    case 'optimizer':
      return { check: checkHandler(deps), optimize: optimizeHandler(deps), remediate: remediateHandler(deps), 'rollback-action': rollbackActionHandler(deps) };
    case 'reporter':
      return { report: reportHandler(deps), notify: notifyHandler(deps), deliver: deliverHandler(deps) };
  }
}
