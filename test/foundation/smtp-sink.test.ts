import nodemailer from 'nodemailer';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

describe('SMTP sink (test helper)', () => {
  let sink: SmtpSink;
  const transport = () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      ignoreTLS: true,
    });
  const mail = { from: 'a@example.test', to: 'b@example.test', subject: 'hi', text: 'body text' };

  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    await sink.close();
  });

  test('records each accepted message with its envelope and raw bytes', async () => {
    await transport().sendMail(mail);
    const [received] = await sink.waitFor(1);
    expect(received!.from).toBe('a@example.test');
    expect(received!.to).toEqual(['b@example.test']);
    expect(received!.raw.toString()).toContain('Subject: hi');
    expect(received!.receivedAt).toBeLessThanOrEqual(Date.now());
  });

  test('answers a chosen code the next time, then accepts', async () => {
    sink.failNext(451, 'try again later');
    await expect(transport().sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    await transport().sendMail(mail);
    expect(sink.messages).toHaveLength(1);
  });

  test('rejects chosen recipients', async () => {
    sink.rejectRecipients(/^b@/, 550, 'no such user');
    await expect(transport().sendMail(mail)).rejects.toMatchObject({ responseCode: 550 });
    expect(sink.messages).toHaveLength(0);
  });

  test('drops the connection in the middle of DATA', async () => {
    sink.dropNext('data');
    await expect(transport().sendMail({ ...mail, text: 'x'.repeat(200_000) })).rejects.toThrow();
    expect(sink.messages).toHaveLength(0);
    await transport().sendMail(mail);
    expect(sink.messages).toHaveLength(1);
  });
});
