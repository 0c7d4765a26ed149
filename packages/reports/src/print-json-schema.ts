// Writes docs/report-schema.json (or the path given) from the zod schema: `pnpm report-schema`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { reportJsonSchemaText } from './report-json-schema.js';

const target = resolve(process.argv[2] ?? 'docs/report-schema.json');
writeFileSync(target, reportJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
