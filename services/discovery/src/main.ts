// The discovery service: inventories resources per account, region and kind from its regional queues.
import { bootstrap, main, runWorkerProcess } from '@finops/pipeline';

main(async () => runWorkerProcess(await bootstrap({ service: 'discovery' }), ['discovery']));
