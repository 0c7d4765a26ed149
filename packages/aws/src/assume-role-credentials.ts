// A cached AssumeRole credential provider shared by every client of one member account.
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { toAwsAccessError } from './errors.js';
import type { AwsScope } from './types.js';

/** Credentials are renewed this long before they expire, so no call is signed with nearly-expired ones. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
/** One hour: the maximum for role chaining, and plenty for a scan partition. */
const SESSION_DURATION_SEC = 3600;
const ROLE_SESSION_NAME = 'finops-scan';

export interface AssumeRoleOptions {
  /** The STS client holding the caller's credentials (it carries the plugins and usage accounting). */
  sts: () => STSClient;
  roleArn: string;
  externalId?: string;
  /** The target account and the region of the STS call, for error messages. */
  scope: AwsScope;
  now?: () => number;
}

/**
 * Returns a provider that assumes `roleArn` once and hands the same credentials to every client of the account
 * until they are about to expire. Concurrent first calls share one AssumeRole request; a failure is not cached.
 */
export function assumeRoleCredentials(options: AssumeRoleOptions): AwsCredentialIdentityProvider {
  const now = options.now ?? Date.now;
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;

  const assume = async (): Promise<AwsCredentialIdentity> => {
    try {
      const output = await options.sts().send(
        new AssumeRoleCommand({
          RoleArn: options.roleArn,
          RoleSessionName: ROLE_SESSION_NAME,
          DurationSeconds: SESSION_DURATION_SEC,
          ...(options.externalId ? { ExternalId: options.externalId } : {}),
        }),
      );
      const credentials = output.Credentials;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
        throw Object.assign(new Error(`AssumeRole ${options.roleArn} returned no credentials`), {
          name: 'InvalidAssumeRoleResponse',
        });
      }
      const expiration = credentials.Expiration ? new Date(credentials.Expiration) : undefined;
      expiresAt = expiration ? expiration.getTime() : Number.POSITIVE_INFINITY;
      return {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        ...(expiration ? { expiration } : {}),
      };
    } catch (error) {
      throw toAwsAccessError(error, options.scope, 'sts:AssumeRole', {
        accessDeniedHint:
          `let the scanning identity assume ${options.roleArn}: the role must exist, its trust policy must allow the ` +
          'caller, and its external id must match aws.externalId / aws.accounts[].externalId; see docs/iam/',
      });
    }
  };

  return () => {
    if (!current || now() >= expiresAt - REFRESH_BEFORE_EXPIRY_MS) {
      expiresAt = Number.POSITIVE_INFINITY;
      const attempt = assume();
      current = attempt;
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
    }
    return current;
  };
}
