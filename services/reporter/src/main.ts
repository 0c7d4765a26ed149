// The reporter service: writes each scan's report files.
import { bootstrap, main, runWorkerProcess } from '@finops/pipeline';

main(async () => runWorkerProcess(await bootstrap({ service: 'reporter' }), ['reporter']));
