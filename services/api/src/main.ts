// The api service: Bull Board, health checks, metrics, the scan, status and schedule API, and the scheduler worker.
import { startApiService } from '@finops/api';
import { bootstrap, main } from '@finops/pipeline';

main(async () => startApiService(await bootstrap({ service: 'api' })));
