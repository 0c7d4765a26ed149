// STS: GetCallerIdentity names the scope's account; AssumeRole hands out fake credentials for simulated accounts.
import { serviceError } from '../aws-error.js';
import type { OperationHandler } from '../call-context.js';
import { HOUR_MS } from '../clock.js';
import { InputReader } from '../input-reader.js';
import { Rng } from '../prng.js';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@/-]{1,64})$/;

/** The account a RoleArn points into, or undefined when it is not a role ARN. */
export function roleArnAccount(roleArn: unknown): string | undefined {
  return typeof roleArn === 'string' ? ROLE_ARN.exec(roleArn)?.[1] : undefined;
}

const getCallerIdentity: OperationHandler = (call) => ({
  UserId: `AIDA${new Rng(`${call.estate.seed}|user|${call.accountId}`).hex(17).toUpperCase()}`,
  Account: call.accountId,
  Arn: `arn:aws:iam::${call.accountId}:user/finops-simulated`,
});

const assumeRole: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const roleArn = reader.requiredString('RoleArn');
  const sessionName = reader.requiredString('RoleSessionName');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) reader.fail(`RoleSessionName '${sessionName}' must be 2-64 characters of [\\w+=,.@-]`);
  const duration = reader.integer('DurationSeconds', { min: 900, max: 43200 }) ?? 3600;
  const match = ROLE_ARN.exec(roleArn);
  if (!match) return reader.fail(`${roleArn} is invalid`);
  const [, accountId, roleName] = match;
  if (!call.estate.accounts.includes(accountId)) {
    throw serviceError(
      'AccessDenied',
      `User: arn:aws:iam::${call.accountId}:user/finops-simulated is not authorized to perform: sts:AssumeRole on resource: ${roleArn} (account ${accountId} is not part of the simulated estate)`,
      call.requestId,
      403,
    );
  }
  const rng = new Rng(`${call.estate.seed}|session|${roleArn}|${sessionName}|${call.requestId}`);
  const roleId = `AROA${new Rng(`${call.estate.seed}|role|${roleArn}`).hex(17).toUpperCase()}`;
  return {
    Credentials: {
      AccessKeyId: `ASIA${rng.hex(16).toUpperCase()}`,
      SecretAccessKey: rng.hex(40),
      SessionToken: `FwoGZXIvYXdzE${rng.hex(120)}`,
      Expiration: new Date(call.nowMs + Math.min(duration * 1000, 12 * HOUR_MS)),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    },
    PackedPolicySize: 0,
  };
};

export const stsOperations: Record<string, OperationHandler> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
