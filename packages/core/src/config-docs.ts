// Renders config/default.yaml from the schema: every option, its default and its description, so the file
// cannot drift from the code (a test compares them).
import { stringify } from 'yaml';
import type { z } from 'zod';
import { configSchema } from './config-schema.js';

interface SchemaNode {
  description?: string;
  def: { type: string; innerType?: SchemaNode; shape?: Record<string, SchemaNode> };
}

/** The object schema inside default/prefault/optional wrappers, with the first description met on the way. */
function unwrap(node: SchemaNode): { inner: SchemaNode; description?: string; optional: boolean } {
  let description = node.description;
  let optional = false;
  let inner = node;
  while (['default', 'prefault', 'optional'].includes(inner.def.type) && inner.def.innerType) {
    if (inner.def.type === 'optional') optional = true;
    inner = inner.def.innerType;
    description ??= inner.description;
  }
  return { inner, description, optional };
}

function comment(text: string | undefined, indent: string): string[] {
  return text ? text.split('\n').map((line) => `${indent}# ${line}`) : [];
}

function renderObject(shape: Record<string, SchemaNode>, value: Record<string, unknown>, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const lines: string[] = [];
  for (const [key, node] of Object.entries(shape)) {
    const { inner, description, optional } = unwrap(node);
    lines.push(...comment(description, indent));
    const current = value[key];
    if (inner.def.type === 'object' && inner.def.shape && current && typeof current === 'object' && !Array.isArray(current)) {
      lines.push(`${indent}${key}:`);
      lines.push(...renderObject(inner.def.shape, current as Record<string, unknown>, depth + 1));
    } else if (current === undefined) {
      lines.push(`${indent}# ${key}: ${optional ? '(not set)' : ''}`.trimEnd());
    } else {
      const rendered = stringify(current, { flowCollectionPadding: false, collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
      lines.push(`${indent}${key}: ${rendered}`);
    }
  }
  return lines;
}

/** The text of config/default.yaml. */
export function renderDefaultConfig(): string {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  const shape = (configSchema as unknown as z.ZodObject & SchemaNode).def.shape as Record<string, SchemaNode>;
  const header = [
    '# Every configuration option with its default. Generated from packages/core/src/config-schema.ts by',
    '# `pnpm finops config defaults > config/default.yaml`; a test fails when this file and the schema differ.',
    '# Copy what you change into your own config.yaml: unset options keep these defaults.',
    '',
  ];
  const body: string[] = [];
  for (const [key, node] of Object.entries(shape)) {
    body.push(...renderObject({ [key]: node }, defaults, 0), '');
  }
  return `${[...header, ...body].join('\n').trimEnd()}\n`;
}
