// `finops checks list`: every registered check with its defaults, permissions and description.
import { CHECKS } from '@finops/checks';

export function listChecksCommand(options: { json?: boolean }): number {
  const rows = CHECKS.map((c) => ({
    id: c.id,
    resourceKind: c.resourceKind,
    description: c.description,
    permissions: c.permissions,
    defaults: c.options.parse({}) as Record<string, unknown>,
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    process.stdout.write(`${r.id}  (${r.resourceKind})\n  ${r.description}\n  permissions: ${r.permissions.join(', ')}\n`);
    process.stdout.write(`  defaults: ${Object.entries(r.defaults).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') || '—'}\n`);
  }
  return 0;
}
