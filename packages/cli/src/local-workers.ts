// Runs the pipeline's workers inside the CLI when no worker process serves a queue a scan needs.
import { startRoleWorkers, type ServiceContext } from '@finops/pipeline';
import { queueName, type Role, type RoleWorkers } from '@finops/queues';

const PIPELINE_ROLES: Role[] = ['discovery', 'analysis', 'optimizer', 'reporter'];

/** Queues of a scan over these regions that no connected worker serves. */
export async function unservedQueues(ctx: ServiceContext, regions: string[]): Promise<string[]> {
  const names = [
    ...regions.flatMap((r) => [queueName('discovery', r), queueName('analysis', r)]),
    queueName('optimizer'),
    queueName('reporter'),
  ];
  const counts = await Promise.all(names.map((name) => ctx.queues.get(name).getWorkersCount()));
  return names.filter((_, i) => counts[i] === 0);
}

export interface LocalWorkers {
  /** Whether workers were started here. */
  started: boolean;
  close(): Promise<void>;
}

/**
 * Starts in-process workers for every pipeline role when `force` is set or some queue has no worker, so
 * `finops scan` works without a running stack (as the seed's single-process CLI did). Workers that do run
 * elsewhere keep taking jobs too: BullMQ shares the queue between them.
 */
export async function ensureWorkers(ctx: ServiceContext, regions: string[], force: boolean): Promise<LocalWorkers> {
  const missing = force ? ['(--local)'] : await unservedQueues(ctx, regions);
  if (!missing.length) return { started: false, close: async () => {} };
  ctx.logger.info({ missing }, 'no worker serves some queues of this scan: running the workers in this process');
  const workers: RoleWorkers[] = [];
  for (const role of PIPELINE_ROLES) workers.push(await startRoleWorkers(ctx, role));
  return {
    started: true,
    close: async () => {
      for (const w of workers) await w.close();
    },
  };
}
