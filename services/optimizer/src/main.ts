// The optimizer service: runs the cost checks per account and region.
import { bootstrap, installShutdown, main, startWorkers } from '@finops/pipeline';

main(async () => {
  const ctx = await bootstrap({ service: 'optimizer' });
  const workerSteps = await startWorkers(ctx, 'optimizer');
  installShutdown(ctx.logger, [...workerSteps, { name: 'connections', close: () => ctx.close() }]);
});
