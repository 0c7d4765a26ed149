// Turns zod issues into human ConfigIssues: `expected number ≥ 0, got "ten"`, `unknown key "x" (did you mean "y"?)`.
import type { z } from 'zod';

/** A location inside the configuration input: object keys and array indexes. */
export type ConfigPath = readonly (string | number)[];

/** A config problem before its source (file, environment variable) is known. */
export interface LocatedIssue {
  path: ConfigPath;
  message: string;
}

/**
 * Marks messages written by {@link configErrorMap}; the rest are the schema's own messages (`expected a 12-digit
 * AWS account id`), which still need the found value appended.
 */
const OWN = '\u0000';
/** Separates the messages of one zod issue that becomes several (one per unknown key). */
const SPLIT = '\u0001';

/** Pass to `schema.safeParse(input, { error: configErrorMap })`; messages set in the schema take precedence. */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  const message = describeRawIssue(issue);
  return message === undefined ? undefined : OWN + message;
};

/** Converts the issues of a failed parse of `input`, flattening unions to the branch the user most likely meant. */
export function toLocatedIssues(issues: readonly z.core.$ZodIssue[], input: unknown, base: ConfigPath = []): LocatedIssue[] {
  return issues.flatMap((issue) => locate(issue, input, [...base, ...issue.path.map(pathKey)]));
}

/** `budgets.items[0].amountUsd` */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${key}` : key;
  }
  return text;
}

/** The value at `path` in `input`, or undefined. */
export function valueAt(input: unknown, path: ConfigPath): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** `"ten"`, `5`, `null`, `a list of 3`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}

/** The closest candidate by edit distance, if close enough to be a likely typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // A truncated or extended key ("minMonthlySaving") is as likely a typo as a misspelled one.
    const distance = other.startsWith(lower) || lower.startsWith(other) ? 1 : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function pathKey(key: PropertyKey): string | number {
  return typeof key === 'number' ? key : String(key);
}

function locate(issue: z.core.$ZodIssue, input: unknown, path: ConfigPath): LocatedIssue[] {
  if (issue.code === 'invalid_union') return locateUnion(issue, input, path);
  if (issue.message.startsWith(OWN)) {
    return issue.message.slice(OWN.length).split(SPLIT).map((message) => ({ path, message }));
  }
  const value = valueAt(input, path);
  const found = value === undefined ? ' (missing)' : `, got ${describeValue(value)}`;
  return [{ path, message: issue.message + found }];
}

/**
 * A union's branches each report why the value did not fit. A branch whose type or discriminating literal did not
 * match is not what the user meant; if one branch remains, its issues are the useful ones (`api.auth.token: expected
 * at least 16 characters`). Otherwise the message lists what each branch accepts (`expected one of 300 | 3600`).
 */
function locateUnion(issue: z.core.$ZodIssueInvalidUnion, input: unknown, path: ConfigPath): LocatedIssue[] {
  const plausible = issue.errors.filter((branch) => branch.length > 0 && !branch.some(isMismatch));
  if (plausible.length > 0) {
    const closest = plausible.reduce((best, branch) => (branch.length < best.length ? branch : best));
    return toLocatedIssues(closest, input, path);
  }
  const accepted = [...new Set(issue.errors.map(describeBranch).filter((text) => text !== undefined))];
  const value = valueAt(input, path);
  const expected = accepted.length > 1 ? `expected one of ${accepted.join(' | ')}` : `expected ${accepted[0] ?? 'another value'}`;
  return [{ path, message: `${expected}, got ${describeValue(value)}` }];
}

function isMismatch(issue: z.core.$ZodIssue): boolean {
  if (issue.path.length === 0) return issue.code === 'invalid_type' || issue.code === 'invalid_value';
  return issue.path.length === 1 && issue.code === 'invalid_value' && issue.values.length === 1;
}

function describeBranch(branch: z.core.$ZodIssue[]): string | undefined {
  for (const issue of branch) {
    if (issue.path.length === 0 && issue.code === 'invalid_value') return issue.values.map(formatLiteral).join(' | ');
    if (issue.path.length === 0 && issue.code === 'invalid_type') return typeWord(issue.expected);
  }
  const discriminator = branch.find((issue) => issue.code === 'invalid_value' && issue.path.length === 1);
  if (discriminator?.code === 'invalid_value') {
    return `a mapping with ${String(discriminator.path[0])}: ${formatLiteral(discriminator.values[0])}`;
  }
  return undefined;
}

function formatLiteral(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

function typeWord(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'integer';
    default:
      return expected;
  }
}

interface NumberBounds {
  integer: boolean;
  lower?: { value: number; inclusive: boolean };
  upper?: { value: number; inclusive: boolean };
}

/** Reads the bounds of a number schema from its checks, to say `expected integer > 0 and ≤ 20` in one go. */
function numberBounds(schema: z.core.$ZodType | undefined): NumberBounds | undefined {
  if (!schema || schema._zod.def.type !== 'number') return undefined;
  const bounds: NumberBounds = { integer: false };
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod.def as z.core.$ZodCheckDef & { value?: unknown; inclusive?: boolean; format?: string };
    if (def.check === 'number_format' && def.format?.includes('int')) bounds.integer = true;
    if (def.check === 'greater_than' && typeof def.value === 'number') {
      bounds.lower = { value: def.value, inclusive: def.inclusive ?? true };
    }
    if (def.check === 'less_than' && typeof def.value === 'number') {
      bounds.upper = { value: def.value, inclusive: def.inclusive ?? true };
    }
  }
  return bounds;
}

function describeNumber(bounds: NumberBounds): string {
  const parts = [bounds.integer ? 'integer' : 'number'];
  if (bounds.lower) parts.push(`${bounds.lower.inclusive ? '≥' : '>'} ${bounds.lower.value}`);
  if (bounds.upper) parts.push(`${bounds.lower ? 'and ' : ''}${bounds.upper.inclusive ? '≤' : '<'} ${bounds.upper.value}`);
  return parts.join(' ');
}

function owningSchema(issue: z.core.$ZodRawIssue): z.core.$ZodType | undefined {
  const schema = issue.schema ?? issue.inst;
  return schema && 'def' in schema._zod && 'type' in schema._zod.def ? (schema as z.core.$ZodType) : undefined;
}

function describeRawIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const got = issue.input === undefined ? '' : `, got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type': {
      const bounds = numberBounds(owningSchema(issue));
      const expected = bounds ? describeNumber(bounds) : typeWord(issue.expected);
      if (issue.input === undefined) return `required: expected ${expected}`;
      return `expected ${expected}${got}`;
    }
    case 'too_small':
    case 'too_big':
      return `expected ${describeSize(issue)}${got}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}${got}`
        : `expected one of ${issue.values.map(formatLiteral).join(' | ')}${got}`;
    case 'unrecognized_keys':
      return issue.keys.map((key) => describeUnknownKey(key, owningSchema(issue))).join(SPLIT);
    case 'invalid_format':
      if (issue.format === 'regex' && issue.pattern) return `expected text matching ${issue.pattern}${got}`;
      return `expected a valid ${issue.format}${got}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}${got}`;
    case 'invalid_key':
      return `invalid key${got}`;
    case 'invalid_union':
      // Resolved from the branches' issues in locateUnion.
      return '';
    default:
      // `custom` refinements without a message, and codes the schema does not produce: zod's own wording.
      return undefined;
  }
}

function describeSize(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig>): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive ?? true;
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint': {
      const bounds = numberBounds(owningSchema(issue));
      if (bounds) return describeNumber(bounds);
      return `number ${small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${limit}`;
    }
    case 'string':
      if (small && limit === 1) return 'a non-empty string';
      return `${small ? 'at least' : 'at most'} ${limit} characters`;
    case 'array':
    case 'set':
      if (small && limit === 1) return 'at least one item';
      return `${small ? 'at least' : 'at most'} ${limit} items`;
    default:
      return `${small ? 'at least' : 'at most'} ${limit}`;
  }
}

function describeUnknownKey(key: string, schema: z.core.$ZodType | undefined): string {
  const shape = schema && 'shape' in schema._zod.def ? (schema._zod.def.shape as Record<string, unknown>) : undefined;
  const allowed = shape ? Object.keys(shape) : [];
  const suggestion = suggest(key, allowed);
  if (suggestion) return `unknown key "${key}" (did you mean "${suggestion}"?)`;
  return allowed.length > 0 ? `unknown key "${key}" (allowed: ${allowed.join(', ')})` : `unknown key "${key}"`;
}
