// Typed reads of a recommendation's action params, failing with the param's name (packages/aws has no zod).
import { ActionParamsError, type ActionParams } from './action-executor.js';

/** Reads the params of one action type. */
export function paramReader(type: string, params: ActionParams) {
  const fail = (name: string, message: string): never => {
    throw new ActionParamsError(type, name, message);
  };
  const reader = {
    /** A non-empty string, or `fallback` when absent. */
    string(name: string, fallback?: string): string {
      const value = params[name];
      if (value === undefined) return fallback ?? fail(name, 'required, expected a string');
      if (typeof value !== 'string' || value === '') return fail(name, `expected a non-empty string, got ${JSON.stringify(value)}`);
      return value;
    },
    /** A string matching `pattern`, described as `expected` in the error. */
    matching(name: string, pattern: RegExp, expected: string): string {
      const value = reader.string(name);
      if (!pattern.test(value)) return fail(name, `expected ${expected}, got ${JSON.stringify(value)}`);
      return value;
    },
    /** A comma-separated list (`'ami-1,ami-2'`); absent or empty: none. */
    list(name: string): string[] {
      const value = params[name];
      if (value === undefined || value === '') return [];
      if (typeof value !== 'string') return fail(name, `expected a comma-separated list, got ${JSON.stringify(value)}`);
      return value.split(',').map((item) => item.trim()).filter(Boolean);
    },
    optionalString(name: string): string | undefined {
      return params[name] === undefined ? undefined : reader.string(name);
    },
    /** One of `allowed`, or `fallback` when absent. */
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
      const value = reader.string(name, fallback);
      if (!(allowed as readonly string[]).includes(value)) return fail(name, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
      return value as T;
    },
    boolean(name: string, fallback: boolean): boolean {
      const value = params[name];
      if (value === undefined) return fallback;
      if (typeof value !== 'boolean') return fail(name, `expected true or false, got ${JSON.stringify(value)}`);
      return value;
    },
    /** An integer within [min, max], or undefined when absent. */
    optionalInteger(name: string, min: number, max: number): number | undefined {
      const value = params[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        return fail(name, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
      }
      return value;
    },
    integer(name: string, min: number, max: number): number {
      return reader.optionalInteger(name, min, max) ?? fail(name, `required, expected an integer from ${min} to ${max}`);
    },
    /** The id the params name, which must be the recommendation's resource when both are given. */
    resourceId(name: string, resourceId: string): string {
      const value = reader.string(name, resourceId);
      if (value !== resourceId) return fail(name, `names ${value}, but the recommendation is about ${resourceId}`);
      return value;
    },
  };
  return reader;
}
