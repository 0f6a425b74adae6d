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

describe('attachment filenames', () => {
  // RFC 2231: charset-tagged, percent-encoded, and split in numbered continuations.
  test('filename*= in every RFC 2231 form keeps backslashes, quotes, accents and non-Latin text', async () => {
    const part = (disposition: string, body: string) =>
      `--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n ${disposition}\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body).toString('base64')}\r\n`;
    const raw = Buffer.from(
      'From: a@example.org\r\nTo: b@example.net\r\nMessage-ID: <rfc2231@example.org>\r\n' +
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
        part(`filename*=utf-8''%5Cshare%5Cmail%5Cforwarded.msg`, 'one') +
        part(`filename*=UTF-8'fr'R%C3%A9sum%C3%A9%20%22final%22%20(2).pdf`, 'two') +
        part(
          `filename*0*=utf-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2;\r\n filename*1="-2026.txt"`,
          'three',
        ) +
        part(`filename*=iso-8859-1''caf%E9.txt`, 'four') +
        '--b--\r\n',
    );
    const mail = await parseMail(raw);
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      '\\share\\mail\\forwarded.msg',
      'Résumé "final" (2).pdf',
      '議事録-2026.txt',
      'café.txt',
    ]);
  });
});
