// Typed reads of a command's input, answering malformed values with the service's own validation error.
import { invalidParameterError } from './aws-error.js';
import type { CallContext } from './call-context.js';

export class InputReader {
  readonly #call: CallContext;

  constructor(call: CallContext) {
    this.#call = call;
  }

  /** Throws the service's bad-parameter error. */
  fail(message: string): never {
    throw invalidParameterError(this.#call.service, message, this.#call.requestId);
  }

  has(name: string): boolean {
    return this.#call.input[name] !== undefined && this.#call.input[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.#call.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${name} must be a string`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') this.fail(`${name} is required`);
    return value;
  }

  /** An integer within [min, max]; AWS's own message names the range. */
  integer(name: string, range: { min: number; max: number }): number | undefined {
    const value = this.#call.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(`${name} must be an integer`);
    if (value < range.min || value > range.max) {
      this.fail(`Value ( ${value} ) for parameter ${name} is invalid. Expecting a value between ${range.min} and ${range.max}.`);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.#call.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(`${name} must be a boolean`);
    return value;
  }

  stringList(name: string): string[] | undefined {
    const value = this.#call.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) this.fail(`${name} must be a list of strings`);
    return value as string[];
  }

  /** A timestamp the SDK passes as a Date (or, from loosely typed callers, a string or epoch seconds). */
  date(name: string): number | undefined {
    const value = this.#call.input[name];
    if (value === undefined || value === null) return undefined;
    const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value * 1000 : Number.NaN;
    if (!Number.isFinite(ms)) this.fail(`${name} must be a timestamp`);
    return ms;
  }

  /** A list of objects, e.g. EC2 `Filters` or CloudWatch `MetricDataQueries`. */
  objectList(name: string): Record<string, unknown>[] | undefined {
    const value = this.#call.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null)) this.fail(`${name} must be a list of structures`);
    return value as Record<string, unknown>[];
  }

  object(name: string): Record<string, unknown> | undefined {
    const value = this.#call.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(`${name} must be a structure`);
    return value as Record<string, unknown>;
  }

  /** EC2/RDS-style `Filters: [{ Name, Values }]`. */
  filters(name = 'Filters'): { name: string; values: string[] }[] {
    return (this.objectList(name) ?? []).map((filter) => {
      const filterName = filter.Name;
      const values = filter.Values;
      if (typeof filterName !== 'string' || filterName === '') this.fail(`${name}: every filter needs a Name`);
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) this.fail(`${name}: filter ${filterName} needs a list of Values`);
      return { name: filterName, values: values as string[] };
    });
  }
}
