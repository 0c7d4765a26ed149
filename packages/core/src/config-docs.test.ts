// config/default.yaml is generated from the schema: it must match it and load to exactly the built-in defaults.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDefaultConfig } from './config-docs.js';
import { loadConfig } from './config-loader.js';
import { configSchema } from './config-schema.js';

const file = resolve(import.meta.dirname, '../../../config/default.yaml');

describe('config/default.yaml', () => {
  it('is what the schema renders (regenerate: pnpm finops config defaults > config/default.yaml)', () => {
    expect(readFileSync(file, 'utf8')).toBe(renderDefaultConfig());
  });

  it('loads to the built-in defaults', () => {
    expect(loadConfig({ configFile: file, env: {} }).config).toEqual(configSchema.parse({}));
  });

  it('comments every leaf option', () => {
    const lines = renderDefaultConfig().split('\n');
    const uncommented = lines.filter((line, i) => /^\s+\w+: \S/.test(line) && !lines[i - 1]?.trim().startsWith('#'));
    expect(uncommented).toEqual([]);
  });
});
