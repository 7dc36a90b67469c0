import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

/** What came of sending one message. */
export interface MailResult {
  /** Accepted by the SMTP server. */
  ok: boolean;
  /** Worth trying again later (a 4xx reply, a connection failure or a timeout); not after a 5xx. */
  retry: boolean;
  /** The SMTP reply code, when the server gave one. */
  code: number | null;
  error: string | null;
}

export interface Mailer {
  send(message: MailMessage): Promise<MailResult>;
  close(): void;
}

/**
 * Mail through one SMTP server (COLLOQUY_SMTP_URL, e.g. smtps://user:pass@smtp.example.org or
 * smtp://localhost:25), with bounded waits at every step: a server that stops answering fails
 * the attempt, to be retried with the rest.
 */
export function smtpMailer({
  url,
  from,
  timeoutMs,
}: {
  url: string;
  from: string;
  timeoutMs: number;
}): Mailer {
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          headers: message.headers ?? {},
        });
        return { ok: true, retry: false, code: 250, error: null };
      } catch (error) {
        const failure = error as Error & { responseCode?: number; code?: string };
        const code = typeof failure.responseCode === 'number' ? failure.responseCode : null;
        const text = (failure.message || failure.code || 'The mail could not be sent.')
          .replace(/[^\x20-\x7e]+/g, ' ')
          .trim()
          .slice(0, 200);
        return { ok: false, retry: code === null || code < 500, code, error: text };
      }
    },
    close: () => transport.close(),
  };
}
