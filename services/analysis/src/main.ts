// The analysis service: attaches CloudWatch utilization per account and region from its regional queues.
import { bootstrap, main, runWorkerProcess } from '@finops/pipeline';

main(async () => runWorkerProcess(await bootstrap({ service: 'analysis' }), ['analysis']));
