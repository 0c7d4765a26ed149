// Plain types shared by the AWS adapter's modules (kept apart so collectors and metrics need not import the factory).

/** One account and region: the unit every regional AWS call is made in. */
export interface AwsScope {
  accountId: string;
  region: string;
}

/** The subset of a pino logger the adapter writes to. */
export interface AwsLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const silentLogger: AwsLogger = { debug() {}, warn() {} };
