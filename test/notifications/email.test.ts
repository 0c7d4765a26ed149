// Email channel against a small SMTP server started by the test: the message arrives with its subject, parts and a
// stable Message-ID; a 5xx reply is permanent, a 4xx reply is worth a retry.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DeliveryError, createChannelSender, idempotencyKey, notificationSchema } from '@finops/notifications';
import { afterEach, describe, expect, it } from 'vitest';

interface Mail {
  from: string;
  to: string[];
  data: string;
}

/** Speaks just enough SMTP (RFC 5321) for one client: EHLO, MAIL, RCPT, DATA, QUIT. `rcptReply` answers RCPT. */
async function startSmtp(rcptReply = '250 2.1.5 ok'): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let mail: Mail = { from: '', to: [], data: '' };
    let inData = false;
    let buffer = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 localhost ESMTP test');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: '', to: [], data: '' };
          reply('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250-localhost\r\n250 8BITMIME');
        else if (verb === 'MAIL') (mail.from = line), reply('250 2.1.0 ok');
        else if (verb === 'RCPT') {
          mail.to.push(line);
          reply(rcptReply);
        } else if (verb === 'DATA') (inData = true), reply('354 go ahead');
        else if (verb === 'RSET') reply('250 ok');
        else if (verb === 'QUIT') reply('221 bye'), socket.end();
        else reply('502 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    mails,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const notification = notificationSchema.parse({
  event: 'budget-threshold',
  dedupKey: 'budget-threshold:platform:2026-11:80',
  title: 'Budget platform passed 80% of $11,500.00',
  text: 'Actual spend is $9,310.00 (81%) with 5 days left; the forecast is $11,900.00.',
  severity: 'warning',
  fields: [{ label: 'Budget', value: 'platform' }],
  occurredAt: '2026-11-26T12:00:00.000Z',
});

describe('email channel', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const sender = (port: number) =>
    createChannelSender(
      { id: 'finance-mail', type: 'email', to: ['finance@example.com', 'ops@example.com'], events: ['budget-threshold'], ratePerMinute: 20 },
      { timeoutMs: 3000, smtp: { host: '127.0.0.1', port, secure: false, from: 'FinOps <finops@example.com>' } },
    );

  it('delivers the message to every recipient with subject, text and HTML parts and a stable Message-ID', async () => {
    const smtp = await startSmtp();
    servers.push(smtp);
    const email = sender(smtp.port);
    try {
      const key = idempotencyKey('finance-mail', notification.dedupKey);
      await email.send(notification, { idempotencyKey: key });
      expect(smtp.mails).toHaveLength(1);
      const [mail] = smtp.mails;
      expect(mail.from).toContain('<finops@example.com>');
      expect(mail.to).toEqual(['RCPT TO:<finance@example.com>', 'RCPT TO:<ops@example.com>']);
      expect(mail.data).toMatch(/^Subject: \[FinOps\] Budget platform passed 80% of \$11,500\.00$/m);
      // Long headers are folded onto a continuation line (RFC 5322).
      expect(mail.data.replace(/\r\n\s+/g, ' ')).toContain(`Message-ID: <${key}@finops.notifications>`);
      expect(mail.data).toMatch(/^X-Finops-Event: budget-threshold$/m);
      expect(mail.data).toContain('Content-Type: text/plain');
      expect(mail.data).toContain('Content-Type: text/html');
    } finally {
      email.close();
    }
  });

  it('classifies SMTP replies: 5xx permanent, 4xx retryable, no server retryable', async () => {
    const rejecting = await startSmtp('550 5.1.1 no such user');
    const busy = await startSmtp('451 4.3.0 try again later');
    servers.push(rejecting, busy);
    const failure = async (port: number) => {
      const email = sender(port);
      try {
        await email.send(notification, { idempotencyKey: 'k' });
      } catch (error) {
        return error as DeliveryError;
      } finally {
        email.close();
      }
      throw new Error('expected the send to fail');
    };
    expect(await failure(rejecting.port)).toMatchObject({ name: 'DeliveryError', permanent: true, status: 550 });
    expect(await failure(busy.port)).toMatchObject({ permanent: false, status: 451 });
    const closed = await startSmtp();
    const port = closed.port;
    await closed.close();
    expect(await failure(port)).toMatchObject({ permanent: false });
  });

  it('refuses to build an email channel without notifications.smtp', () => {
    expect(() => createChannelSender({ id: 'm', type: 'email', to: ['a@example.com'], events: [], ratePerMinute: 1 }, { timeoutMs: 1000 })).toThrow(
      /email channel but notifications.smtp is not set/,
    );
  });
});
