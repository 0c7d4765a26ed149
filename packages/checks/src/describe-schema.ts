// Plain-words descriptions of zod schemas and values, for config messages like `expected number ≥ 0, got "ten"`.
import { z } from 'zod';

/** Strips default/prefault/optional/nullable wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault ||
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** The schema at `path` inside `schema` (through objects and arrays), or undefined. */
export function schemaAtPath(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    const inner = unwrapSchema(current);
    if (inner instanceof z.ZodObject && typeof key === 'string') current = inner.shape[key] as z.ZodType | undefined;
    else if (inner instanceof z.ZodArray && typeof key === 'number') current = inner.element as z.ZodType;
    else return undefined;
  }
  return current;
}

/** `number ≥ 0`, `integer between 1 and 28`, `non-empty string`, `true or false`, `one of "a", "b"`, … */
export function describeSchema(schema: z.ZodType): string {
  const inner = unwrapSchema(schema);
  if (inner instanceof z.ZodNumber) {
    const kind = inner.isInt ? 'integer' : 'number';
    // .int() sets the safe-integer range as bounds; only bounds a user chose are worth saying.
    const bound = (value: number | null) =>
      value !== null && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : null;
    const min = bound(inner.minValue);
    const max = bound(inner.maxValue);
    // minValue/maxValue drop whether a bound is exclusive: `.positive()` is `> 0`, not `≥ 0`.
    const exclusive = (check: string) =>
      (inner._zod.def.checks ?? []).some((c) => {
        const def = c._zod.def as { check: string; inclusive?: boolean };
        return def.check === check && def.inclusive === false;
      });
    const above = exclusive('greater_than') ? '>' : '≥';
    const below = exclusive('less_than') ? '<' : '≤';
    if (min !== null && max !== null) return above === '≥' && below === '≤' ? `${kind} between ${min} and ${max}` : `${kind} ${above} ${min} and ${below} ${max}`;
    if (min !== null) return `${kind} ${above} ${min}`;
    if (max !== null) return `${kind} ${below} ${max}`;
    return kind;
  }
  if (inner instanceof z.ZodString) return (inner.minLength ?? 0) > 0 ? 'non-empty string' : 'string';
  if (inner instanceof z.ZodBoolean) return 'true or false';
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.map((option) => JSON.stringify(option)).join(', ')}`;
  if (inner instanceof z.ZodArray) return `a list of ${describeSchema(inner.element as z.ZodType)} items`;
  if (inner instanceof z.ZodObject) return 'a mapping';
  if (inner instanceof z.ZodRecord) return `a mapping of ${describeSchema(inner.keyType as z.ZodType)} to ${describeSchema(inner.valueType as z.ZodType)}`;
  return inner.type;
}

/** A value as it appears in YAML/JSON, for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

/** The value at `path` inside `input`, or undefined. */
export function valueAtPath(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
