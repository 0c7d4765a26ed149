// The analysis service: attaches CloudWatch utilization per account and region from its regional queues.
import { bootstrap, installShutdown, main, startWorkers } from '@finops/pipeline';

main(async () => {
  const ctx = await bootstrap({ service: 'analysis' });
  const workerSteps = await startWorkers(ctx, 'analysis');
  installShutdown(ctx.logger, [...workerSteps, { name: 'connections', close: () => ctx.close() }]);
});
