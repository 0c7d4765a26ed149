// Publishes notifications to Amazon SNS topics: one SNSClient per topic region, failures as AwsAccessError.
import { PublishCommand, SNSClient, type MessageAttributeValue, type SNSClientConfig } from '@aws-sdk/client-sns';
import type { Config } from '@finops/core';
import { toAwsAccessError } from './errors.js';

export interface SnsMessage {
  topicArn: string;
  subject: string;
  message: string;
  messageStructure?: 'json';
  attributes: Record<string, string>;
  /** FIFO topics only. */
  deduplicationId?: string;
  groupId?: string;
}

export interface SnsPublisher {
  /** Publishes one message; throws an AwsAccessError whose `retryable` says whether to try again. */
  publish(message: SnsMessage): Promise<{ messageId?: string }>;
  /** Destroys the clients. Safe to call twice. */
  close(): void;
}

/** `arn:aws:sns:<region>:<account>:<name>` → region and account. */
function topicScope(topicArn: string): { region: string; accountId: string } {
  const [, , , region, accountId] = topicArn.split(':');
  if (!region || !accountId) throw new Error(`not an SNS topic ARN: ${topicArn}`);
  return { region, accountId };
}

/**
 * An SNS publisher with the platform's AWS settings (max attempts, endpoint override) and the default credentials:
 * topics live in the account the platform runs in.
 *
 * @example await createSnsPublisher(config.aws).publish({ topicArn, subject, message, attributes: {} })
 */
export function createSnsPublisher(aws: Pick<Config['aws'], 'maxAttempts' | 'endpoint'>, clientConfig: Pick<SNSClientConfig, 'credentials'> = {}): SnsPublisher {
  const clients = new Map<string, SNSClient>();
  const client = (region: string) => {
    let existing = clients.get(region);
    if (!existing) {
      existing = new SNSClient({ region, maxAttempts: aws.maxAttempts, ...(aws.endpoint ? { endpoint: aws.endpoint } : {}), ...clientConfig });
      clients.set(region, existing);
    }
    return existing;
  };
  return {
    async publish(message) {
      const scope = topicScope(message.topicArn);
      try {
        const output = await client(scope.region).send(
          new PublishCommand({
            TopicArn: message.topicArn,
            Subject: message.subject,
            Message: message.message,
            MessageStructure: message.messageStructure,
            MessageAttributes: Object.fromEntries(
              Object.entries(message.attributes).map(([name, value]): [string, MessageAttributeValue] => [name, { DataType: 'String', StringValue: value }]),
            ),
            MessageDeduplicationId: message.deduplicationId,
            MessageGroupId: message.groupId,
          }),
        );
        return { messageId: output.MessageId };
      } catch (error) {
        throw toAwsAccessError(error, scope, 'sns:Publish', { accessDeniedHint: `allow sns:Publish on ${message.topicArn} to the platform's role` });
      }
    },
    close() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
  };
}
