// The reporter service: writes each scan's report files.
import { bootstrap, installShutdown, main, startWorkers } from '@finops/pipeline';

main(async () => {
  const ctx = await bootstrap({ service: 'reporter' });
  const workerSteps = await startWorkers(ctx, 'reporter');
  installShutdown(ctx.logger, [...workerSteps, { name: 'connections', close: () => ctx.close() }]);
});
