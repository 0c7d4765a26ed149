// Email over SMTP (nodemailer): the notification as a plain-text and an HTML part.
import type { Notification } from '../notification.js';
import { notificationText } from './sns.js';

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export function emailContent(notification: Notification): EmailContent {
  const rows = notification.fields.map((f) => `<tr><th align="left">${escape(f.label)}</th><td>${escape(f.value)}</td></tr>`).join('');
  const html = [
    `<h2>${escape(notification.title)}</h2>`,
    `<p>${escape(notification.text)}</p>`,
    rows ? `<table cellpadding="4">${rows}</table>` : '',
    notification.link ? `<p><a href="${escape(notification.link)}">Open report</a></p>` : '',
    `<p style="color:#666">${escape(`${notification.severity} · ${notification.event} · ${notification.occurredAt}`)}</p>`,
  ].join('\n');
  const prefix = notification.severity === 'critical' ? '[FinOps, critical] ' : '[FinOps] ';
  return { subject: `${prefix}${notification.title}`, text: notificationText(notification), html };
}
