// docs/checks.md is generated from the registry: the committed file must be exactly what the registry renders.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from './registry.js';
import { renderChecksDoc } from './render-checks-doc.js';

const DOC = new URL('../../../docs/checks.md', import.meta.url);

describe('docs/checks.md', () => {
  it('matches the registry (regenerate with `pnpm -s finops checks docs > docs/checks.md`)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderChecksDoc());
  });

  it('documents every check with its defaults and permissions', () => {
    const doc = renderChecksDoc();
    for (const check of CHECKS) {
      expect(doc).toContain(`## \`${check.id}\``);
      for (const permission of check.permissions) expect(doc).toContain(`\`${permission}\``);
    }
    expect(doc).toContain('| `maxCpuP99Percent` | number between 0 and 100 | `5` |');
    expect(doc).toContain('| `gravitonFamilies` | a mapping of non-empty string to non-empty string |');
  });
});
