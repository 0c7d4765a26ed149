// The discovery service: inventories resources per account, region and kind from its regional queues.
import { bootstrap, installShutdown, main, startWorkers } from '@finops/pipeline';

main(async () => {
  const ctx = await bootstrap({ service: 'discovery' });
  const workerSteps = await startWorkers(ctx, 'discovery');
  installShutdown(ctx.logger, [...workerSteps, { name: 'connections', close: () => ctx.close() }]);
});
