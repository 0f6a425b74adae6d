import { readFileSync } from 'node:fs';
import { parseMail } from '../../../src/inbound/parse-mail.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/inbound/${name}`, import.meta.url));

describe('parseMail charsets', () => {
  test.each([
    ['iso-8859-1.eml', "Résumé fini, café avec l'équipe. Façade réparée."],
    ['windows-1252.eml', 'Paid the €120 invoice – it said “done”.'],
    ['shift-jis.eml', '今日はテストを書きました。'],
    ['invalid-utf8.eml', 'Réunion à 10h, déjà prête.'],
    ['utf8-reply.eml', 'Shipped the inbound parser 🚀 and fixed the naïve retry loop.'],
  ])('%s keeps its text', async (name, expected) => {
    const mail = await parseMail(fixture(name));
    expect(mail.text.trim().split('\n')[0]).toBe(expected);
    expect(mail.text).not.toContain('\uFFFD');
  });

  test('only the mislabelled message takes the fallback', async () => {
    expect((await parseMail(fixture('invalid-utf8.eml'))).charsetFallback).toBe(true);
    expect((await parseMail(fixture('utf8-reply.eml'))).charsetFallback).toBe(false);
  });

  test('normalises ids and addresses', async () => {
    const raw = Buffer.from(
      'From: "Ana" <Ana@Example.ORG>\r\nTo: a@x.test, "B" <B@X.test>\r\nMessage-ID: <Abc@Mail.Example.ORG>\r\nIn-Reply-To: <p1@postroom.test>\r\nReferences: <p0@postroom.test> <p1@postroom.test>\r\nSubject: hi\r\n\r\nbody\r\n',
    );
    const mail = await parseMail(raw);
    expect(mail.messageId).toBe('Abc@mail.example.org');
    expect(mail.from).toEqual({ address: 'ana@example.org', name: 'Ana' });
    expect(mail.to).toEqual(['a@x.test', 'b@x.test']);
    expect(mail.inReplyTo).toEqual(['p1@postroom.test']);
    expect(mail.references).toEqual(['p0@postroom.test', 'p1@postroom.test']);
  });

  test('refuses a string', async () => {
    await expect(parseMail('x' as unknown as Buffer)).rejects.toThrow(TypeError);
  });
});
