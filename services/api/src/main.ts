// The api service: Bull Board, health checks and the scan API over the platform's queues.
import { createApp, listen } from '@finops/api';
import { bootstrap, getScanProgress, installShutdown, main, startScan } from '@finops/pipeline';

main(async () => {
  const ctx = await bootstrap({ service: 'api' });
  const app = createApp({
    ...ctx,
    startScan: (options) => startScan(ctx, options),
    scanProgress: (scanId) => getScanProgress(ctx.queues, ctx.store, scanId),
  });
  const server = await listen(app, ctx.config.api.port, ctx.config.api.host);
  ctx.logger.info({ url: server.url, board: `${server.url}/admin/queues` }, 'api listening');
  installShutdown(ctx.logger, [
    { name: 'http server', close: () => server.close() },
    { name: 'connections', close: () => ctx.close() },
  ]);
});
