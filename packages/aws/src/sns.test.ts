// createSnsPublisher: one PublishCommand per message, in the topic's region, failures as AwsAccessError.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AwsAccessError } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsPublisher } from './sns.js';

const sns = mockClient(SNSClient);
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const topicArn = 'arn:aws:sns:eu-west-1:123456789012:finops-alerts';
const message = {
  topicArn,
  subject: 'Budget platform passed 80%',
  message: JSON.stringify({ default: 'text', email: 'text', sqs: '{"type":"finops.notification"}' }),
  messageStructure: 'json' as const,
  attributes: { event: 'budget-threshold', severity: 'warning' },
};

describe('createSnsPublisher', () => {
  afterEach(() => sns.reset());

  it('publishes to the topic in its own region with the message attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const publisher = createSnsPublisher({ maxAttempts: 1 }, { credentials });
    expect(await publisher.publish(message)).toEqual({ messageId: 'm-1' });
    const [call] = sns.commandCalls(PublishCommand);
    expect(call.args[0].input).toEqual({
      TopicArn: topicArn,
      Subject: message.subject,
      Message: message.message,
      MessageStructure: 'json',
      MessageAttributes: { event: { DataType: 'String', StringValue: 'budget-threshold' }, severity: { DataType: 'String', StringValue: 'warning' } },
      MessageDeduplicationId: undefined,
      MessageGroupId: undefined,
    });
    expect(await call.thisValue.config.region()).toBe('eu-west-1');
    publisher.close();
    publisher.close();
  });

  it('passes the deduplication id and group of a FIFO topic', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const publisher = createSnsPublisher({ maxAttempts: 1 }, { credentials });
    await publisher.publish({ ...message, topicArn: `${topicArn}.fifo`, deduplicationId: 'finops-abc', groupId: 'budget-threshold' });
    expect(sns.commandCalls(PublishCommand)[0].args[0].input).toMatchObject({ MessageDeduplicationId: 'finops-abc', MessageGroupId: 'budget-threshold' });
  });

  it('reports a missing topic or permission as permanent and throttling as retryable', async () => {
    const publisher = createSnsPublisher({ maxAttempts: 1 }, { credentials });
    sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    const notFound = await publisher.publish(message).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(AwsAccessError);
    expect(notFound).toMatchObject({ retryable: false, action: 'sns:Publish', accountId: '123456789012', region: 'eu-west-1' });
    sns.reset();
    sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    expect(await publisher.publish(message).catch((e: unknown) => e)).toMatchObject({ retryable: true });
  });
});
