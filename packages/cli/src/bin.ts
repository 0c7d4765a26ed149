// The finops executable (run through tsx): `pnpm finops …`, `pnpm demo`.
import { run } from './program.js';

// Exit explicitly: a command that leaves a handle open (a timer in a library) must not keep the CLI alive.
process.exit(await run(process.argv.slice(2)));
