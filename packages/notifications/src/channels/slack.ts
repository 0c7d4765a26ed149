// Slack incoming webhook: the notification as a Block Kit message (header, text, fields, context, a button).
import type { Notification } from '../notification.js';

const SEVERITY_ICON = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' } as const;

/** Slack's mrkdwn treats &, < and > as control characters; everything else is shown as written. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export interface SlackMessage {
  /** Shown in push notifications and by clients that cannot draw blocks. */
  text: string;
  blocks: Record<string, unknown>[];
}

/**
 * The Block Kit body of an incoming-webhook POST. Limits are Slack's: header 150 characters, section text 3000,
 * 10 fields of 2000 each.
 */
export function slackMessage(notification: Notification): SlackMessage {
  const { title, text, fields, link, severity, event, scanId, occurredAt } = notification;
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
  ];
  if (text) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(slackEscape(text), 3000) } });
  if (fields.length) {
    blocks.push({
      type: 'section',
      fields: fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${slackEscape(f.label)}*\n${slackEscape(f.value)}`, 2000) })),
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: [`${SEVERITY_ICON[severity]} ${severity}`, `\`${event}\``, ...(scanId ? [`scan \`${slackEscape(scanId)}\``] : []), occurredAt].join(' · '),
      },
    ],
  });
  if (link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open report' }, url: link, action_id: 'open-report' }],
    });
  }
  return { text: clip(`${severity === 'critical' ? '[critical] ' : ''}${title}`, 3000), blocks };
}
