// @finops/notifications: notifications to Slack, signed webhooks, SNS and email, deduplicated and rate-limited, and
// delivery of scan results to a backend sink.
export { NOTIFICATION_SEVERITIES, notificationSchema } from './notification.js';
export type { Notification, NotificationInput, NotificationSeverity } from './notification.js';
export { DeliveryError, classifyHttpStatus, parseRetryAfter } from './delivery-error.js';
export type { DeliveryErrorOptions } from './delivery-error.js';
export { describeEndpoint, httpRequest } from './http-post.js';
export type { HttpRequest, HttpResponse } from './http-post.js';
export { slackEscape, slackMessage } from './channels/slack.js';
export type { SlackMessage } from './channels/slack.js';
export {
  EVENT_HEADER,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
  verifyWebhookSignature,
  webhookBody,
} from './channels/webhook.js';
export type { VerifyWebhookInput, WebhookBody } from './channels/webhook.js';
export { notificationText, snsPublishInput, snsSubject } from './channels/sns.js';
export type { SnsPublishInput, SnsPublisher } from './channels/sns.js';
export { emailContent } from './channels/email.js';
export type { EmailContent } from './channels/email.js';
export { createChannelSender } from './channels/create-sender.js';
export type { ChannelSender, ChannelSenderDeps, NotificationChannel, SendOptions, SmtpSettings } from './channels/create-sender.js';
export { DeliveryLedger } from './delivery-ledger.js';
export type { DeliveryLedgerOptions, SentRecord } from './delivery-ledger.js';
export { ChannelRateLimiter } from './channel-rate-limiter.js';
export { ChannelStatusStore } from './channel-status.js';
export type { ChannelFailure, ChannelStatus } from './channel-status.js';
export { NOTIFY_SCOPE, idempotencyKey, sendNotification } from './send-notification.js';
export type { SendNotificationDeps, SendOutcome } from './send-notification.js';
export { highSavingsNotification, isoWeek, reportLink, scanFailureNotification, weeklySummaryNotification } from './events.js';
export type { ScanFailureInput } from './events.js';
export { BACKEND_PAYLOAD_VERSION, backendPayload, scanDeliveryKey } from './backend/backend-payload.js';
export type { BackendPayload } from './backend/backend-payload.js';
export { DELIVER_SCOPE, checkBackendHealth, deliverScanResults } from './backend/deliver-scan-results.js';
export type { BackendSettings, DeliverScanDeps, DeliveryOutcome } from './backend/deliver-scan-results.js';
