// The platform's error tree: every error names what was wrong and how to fix it.

/** Exit codes shared by the CLI and every service entrypoint. */
export const EXIT = {
  ok: 0,
  /** A scan finished with errors in some partitions. */
  partial: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** Redis or AWS cannot be reached. */
  unreachable: 3,
} as const;

export class FinopsError extends Error {
  /** Process exit code when this error ends a command. */
  readonly exitCode: number = EXIT.usage;
  /** What the user can do about it. */
  readonly hint?: string;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** One problem in a configuration source, located by file and YAML path. */
export interface ConfigIssue {
  /** The file (or `environment`, `built-in defaults`) the value came from. */
  source: string;
  /** Dotted YAML path, e.g. `optimization.minMonthlySavingsUsd`. */
  path: string;
  /** `expected number ≥ 0, got "ten"`. */
  message: string;
}

export class ConfigError extends FinopsError {
  override readonly exitCode = EXIT.usage;
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], options: { hint?: string } = {}) {
    super(issues.map(formatConfigIssue).join('\n'), options);
    this.issues = issues;
  }
}

export function formatConfigIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.source}: ${issue.path}: ${issue.message}` : `${issue.source}: ${issue.message}`;
}

/** Redis cannot be found, started or reached. */
export class RedisUnavailableError extends FinopsError {
  override readonly exitCode: number = EXIT.unreachable;
}

/**
 * No Redis is configured, none answers on the local default and none could be started: a setup problem the user
 * fixes (install redis-server, start one, set REDIS_URL), so it exits like a configuration error.
 */
export class RedisNotFoundError extends RedisUnavailableError {
  override readonly exitCode: number = EXIT.usage;
}

/** A usage error of the CLI (unknown flag, conflicting flags, bad id). */
export class UsageError extends FinopsError {
  override readonly exitCode = EXIT.usage;
}

/** AWS refused or failed a call in one account and region. */
export class AwsAccessError extends FinopsError {
  override readonly exitCode = EXIT.unreachable;
  readonly accountId: string;
  readonly region: string;
  /** `ec2:DescribeVolumes` */
  readonly action: string;
  /** The AWS error code, e.g. `UnauthorizedOperation`. */
  readonly code: string;
  /** Whether retrying can help (throttling, 5xx) or not (access denied, opted-out region). */
  readonly retryable: boolean;

  constructor(fields: {
    accountId: string;
    region: string;
    action: string;
    code: string;
    message: string;
    retryable: boolean;
    hint?: string;
    cause?: unknown;
  }) {
    super(`${fields.action} in account ${fields.accountId}, ${fields.region}: ${fields.code}: ${fields.message}`, {
      hint: fields.hint,
      cause: fields.cause,
    });
    this.accountId = fields.accountId;
    this.region = fields.region;
    this.action = fields.action;
    this.code = fields.code;
    this.retryable = fields.retryable;
  }
}

/** A job payload that does not match its schema: the job fails, the worker does not. */
export class InvalidPayloadError extends FinopsError {}

/** One line for a user: the message and, where known, the fix. */
export function describeError(error: unknown): string {
  if (error instanceof FinopsError) return error.hint ? `${error.message}\n  fix: ${error.hint}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
