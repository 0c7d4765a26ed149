// The optimizer service: runs the cost checks per account and region.
import { bootstrap, main, runWorkerProcess } from '@finops/pipeline';

main(async () => runWorkerProcess(await bootstrap({ service: 'optimizer' }), ['optimizer']));
