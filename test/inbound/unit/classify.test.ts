import { readFileSync } from 'node:fs';
import { classifyMail, isOutOfOfficeSubject } from '../../../src/domain/inbound/auto-reply.js';
import { headerMap } from '../../../src/domain/inbound/headers.js';
import { parseDeliveryStatus } from '../../../src/domain/inbound/dsn.js';
import { parseMail } from '../../../src/inbound/parse-mail.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/inbound/${name}`, import.meta.url));

async function classifyFixture(name: string) {
  const mail = await parseMail(fixture(name));
  return {
    mail,
    result: classifyMail({
      headers: mail.headers,
      contentType: mail.contentType,
      subject: mail.subject,
    }),
  };
}

describe('classification', () => {
  test.each([
    ['auto-reply-ooo.eml', 'auto_reply', 'auto_submitted'],
    ['auto-reply-precedence.eml', 'auto_reply', 'precedence'],
    ['bounce-dsn.eml', 'bounce', 'multipart_report_delivery_status'],
    ['bounce-soft.eml', 'bounce', 'daemon_from'],
    ['utf8-reply.eml', 'normal', undefined],
    ['windows-1252.eml', 'normal', undefined],
  ])('%s is %s', async (name, kind, signal) => {
    const { result } = await classifyFixture(name);
    expect(result.kind).toBe(kind);
    if (signal) expect(result.signals).toContain(signal);
  });

  test('Auto-Submitted: no is a person', () => {
    const h = headerMap([
      ['Auto-Submitted', 'no'],
      ['From', 'a@b.c'],
    ]);
    expect(classifyMail({ headers: h, subject: 'Re: hi' }).kind).toBe('normal');
  });

  test('a null Return-Path alone is never answered', () => {
    const h = headerMap([
      ['Return-Path', '<>'],
      ['From', 'a@b.c'],
    ]);
    expect(classifyMail({ headers: h }).kind).toBe('bounce');
    expect(classifyMail({ headers: headerMap([['From', 'a@b.c']]), envelopeFrom: '' }).kind).toBe(
      'bounce',
    );
  });

  test.each([
    'Out of Office: today',
    'RE: Automatische Antwort: x',
    'Réponse automatique : absent',
    '自動応答: 不在',
    'Autosvar: ferie',
  ])('OOO subject %s', (s) => expect(isOutOfOfficeSubject(s)).toBe(true));
  test('a normal subject is not OOO', () =>
    expect(isOutOfOfficeSubject('Re: What did you get done today?')).toBe(false));
});

describe('DSN parsing', () => {
  test('hard bounce with the original Message-ID', async () => {
    const mail = await parseMail(fixture('bounce-dsn.eml'));
    const dsn = parseDeliveryStatus(mail.deliveryStatus!, mail.returnedHeaders ?? undefined);
    expect(dsn.reportingMta).toBe('mx.example.net');
    expect(dsn.originalMessageId).toBe('prompt-123@postroom.test');
    expect(dsn.recipients).toEqual([
      expect.objectContaining({
        recipient: 'gone@example.net',
        status: '5.1.1',
        bounce: 'hard',
        action: 'failed',
      }),
    ]);
    expect(dsn.recipients[0]!.diagnostic).toContain('User unknown');
  });

  test('a delayed 4.x recipient is soft', async () => {
    const mail = await parseMail(fixture('bounce-soft.eml'));
    const dsn = parseDeliveryStatus(mail.deliveryStatus!);
    expect(dsn.recipients).toEqual([
      expect.objectContaining({ recipient: 'full@example.com', status: '4.2.2', bounce: 'soft' }),
    ]);
  });
});
