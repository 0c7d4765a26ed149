// The job handler registry: exactly one handler per job name, grouped by the role whose service runs it.
import type { Role, JobHandlers } from '@finops/queues';
import { analyzeHandler } from './analyze.js';
import { discoverHandler } from './discover.js';
import { optimizeHandler } from './optimize.js';
import { reportHandler } from './report.js';
import type { PipelineDeps } from './shared.js';

export type { PipelineDeps } from './shared.js';

export function handlersFor(role: Role, deps: PipelineDeps): JobHandlers {
  switch (role) {
    case 'discovery':
      return { discover: discoverHandler(deps) };
    case 'analysis':
      return { analyze: analyzeHandler(deps) };
    case 'optimizer':
      return { optimize: optimizeHandler(deps) };
    case 'reporter':
      return { report: reportHandler(deps) };
  }
}
