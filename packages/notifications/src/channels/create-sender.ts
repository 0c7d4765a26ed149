// The sender of one configured channel: renders the notification for it and sends it, failures classified.
import type { Config } from '@finops/core';
import nodemailer from 'nodemailer';
import { DeliveryError, classifyHttpStatus } from '../delivery-error.js';
import { httpRequest } from '../http-post.js';
import type { Notification } from '../notification.js';
import { emailContent } from './email.js';
import { slackMessage } from './slack.js';
import { snsPublishInput, type SnsPublisher } from './sns.js';
import { EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, webhookBody } from './webhook.js';

export type NotificationChannel = Config['notifications']['channels'][number];
export type SmtpSettings = NonNullable<Config['notifications']['smtp']>;

export interface SendOptions {
  /** Equal on every attempt of the same notification to the same channel: receivers drop repeats by it. */
  idempotencyKey: string;
}

export interface ChannelSender {
  readonly channel: NotificationChannel;
  /** Resolves once the channel accepted the message; throws a DeliveryError otherwise. */
  send(notification: Notification, options: SendOptions): Promise<void>;
  /** Releases connections (SMTP). Safe to call twice. */
  close(): void;
}

export interface ChannelSenderDeps {
  timeoutMs: number;
  /** Required by `sns` channels. */
  publishSns?: SnsPublisher;
  /** Required by `email` channels. */
  smtp?: SmtpSettings;
  /** The clock of webhook signatures; tests pin it. */
  now?: () => Date;
}

const USER_AGENT = 'advanced-finops-notifications/1';

/** SDK errors carry `retryable` (AwsAccessError) or an HTTP status; a missing topic or permission is permanent. */
function snsFailure(error: unknown, topicArn: string): DeliveryError {
  const e = error as { name?: string; message?: string; retryable?: boolean; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const permanent =
    typeof e.retryable === 'boolean'
      ? !e.retryable
      : status !== undefined
        ? classifyHttpStatus(status) === 'permanent'
        : /NotFound|Authorization|AccessDenied|InvalidParameter|InvalidSecurity|KMSDisabled/.test(e.name ?? '');
  return new DeliveryError(`SNS ${topicArn}: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`, { permanent, status, cause: error });
}

/** SMTP 5xx replies and bad credentials are permanent; 4xx replies and connection problems are not. */
function smtpFailure(error: unknown, host: string): DeliveryError {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const permanent = e.responseCode !== undefined ? e.responseCode >= 500 : e.code === 'EAUTH' || e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
  return new DeliveryError(`SMTP ${host}: ${e.message ?? String(error)}`, { permanent, status: e.responseCode, cause: error });
}

/**
 * A sender for one channel. Throws at creation when the channel needs something the deployment lacks (an SNS
 * publisher, SMTP settings), so a misconfiguration fails the first notification with a clear message.
 */
export function createChannelSender(channel: NotificationChannel, deps: ChannelSenderDeps): ChannelSender {
  const now = deps.now ?? (() => new Date());
  switch (channel.type) {
    case 'slack': {
      const url = channel.url as string;
      return {
        channel,
        send: async (notification, { idempotencyKey }) => {
          await httpRequest({
            url,
            timeoutMs: deps.timeoutMs,
            headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, [IDEMPOTENCY_HEADER]: idempotencyKey },
            body: JSON.stringify(slackMessage(notification)),
          });
        },
        close: () => undefined,
      };
    }
    case 'webhook': {
      const url = channel.url as string;
      return {
        channel,
        send: async (notification, { idempotencyKey }) => {
          const body = JSON.stringify(webhookBody(notification, idempotencyKey));
          const timestamp = Math.floor(now().getTime() / 1000);
          await httpRequest({
            url,
            timeoutMs: deps.timeoutMs,
            headers: {
              'content-type': 'application/json',
              'user-agent': USER_AGENT,
              [EVENT_HEADER]: notification.event,
              [IDEMPOTENCY_HEADER]: idempotencyKey,
              [TIMESTAMP_HEADER]: String(timestamp),
              ...(channel.secret ? { [SIGNATURE_HEADER]: signWebhook(channel.secret, timestamp, body) } : {}),
            },
            body,
          });
        },
        close: () => undefined,
      };
    }
    case 'sns': {
      const publish = deps.publishSns;
      if (!publish) throw new DeliveryError(`channel ${channel.id}: no SNS publisher in this process`, { permanent: true });
      const topicArn = channel.topicArn as string;
      return {
        channel,
        send: async (notification, { idempotencyKey }) => {
          try {
            await publish(snsPublishInput(topicArn, notification, idempotencyKey));
          } catch (error) {
            throw snsFailure(error, topicArn);
          }
        },
        close: () => undefined,
      };
    }
    case 'email': {
      const smtp = deps.smtp;
      if (!smtp) {
        throw new DeliveryError(`channel ${channel.id} is an email channel but notifications.smtp is not set`, { permanent: true });
      }
      const transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
        connectionTimeout: deps.timeoutMs,
        greetingTimeout: deps.timeoutMs,
        socketTimeout: deps.timeoutMs,
      });
      let closed = false;
      return {
        channel,
        send: async (notification, { idempotencyKey }) => {
          const content = emailContent(notification);
          try {
            await transport.sendMail({
              from: smtp.from,
              to: channel.to,
              subject: content.subject,
              text: content.text,
              html: content.html,
              // A stable Message-ID: mail systems that see the same message twice can drop the copy.
              messageId: `<${idempotencyKey}@finops.notifications>`,
              headers: { [EVENT_HEADER]: notification.event, [IDEMPOTENCY_HEADER]: idempotencyKey },
            });
          } catch (error) {
            throw smtpFailure(error, smtp.host);
          }
        },
        close: () => {
          if (!closed) transport.close();
          closed = true;
        },
      };
    }
  }
}
