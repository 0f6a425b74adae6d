// Writes fixtures/inbound/*.eml: our own test messages in the charsets and shapes the inbound
// tests need (byte-exact, so they are generated rather than typed). Run: node scripts/providers/make-eml-fixtures.mjs
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';
const dir = new URL('../../fixtures/inbound/', import.meta.url);
mkdirSync(dir, { recursive: true });
const crlf = (s) => s.replace(/\r?\n/g, '\r\n');
const w = (name, ...parts) =>
  writeFileSync(
    new URL(name, dir),
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(crlf(p), 'utf8') : p))),
  );
const head = (extra, ct) => `From: Ana Lima <ana@example.org>
To: Team Updates <updates@in.postroom.test>
Subject: Re: What did you get done today?
Date: Tue, 24 Nov 2026 17:05:00 +0000
Message-ID: <ana-${extra}@mail.example.org>
MIME-Version: 1.0
Content-Type: ${ct}

`;
// ISO-8859-1, quoted-printable
w(
  'iso-8859-1.eml',
  head('latin1', 'text/plain; charset=ISO-8859-1').replace(
    'MIME-Version: 1.0',
    'MIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable',
  ),
  'R=E9sum=E9 fini, caf=E9 avec l=27=E9quipe. Fa=E7ade r=E9par=E9e.\n',
);
// windows-1252, 8bit with € (0x80) and curly quotes (0x93/0x94) and an en dash (0x96)
w(
  'windows-1252.eml',
  head('cp1252', 'text/plain; charset=windows-1252').replace(
    'MIME-Version: 1.0',
    'MIME-Version: 1.0\nContent-Transfer-Encoding: 8bit',
  ),
  Buffer.from([
    ...Buffer.from('Paid the '),
    0x80,
    ...Buffer.from('120 invoice '),
    0x96,
    ...Buffer.from(' it said '),
    0x93,
    ...Buffer.from('done'),
    0x94,
    ...Buffer.from('.\r\n'),
  ]),
);
// Shift_JIS, base64: 今日はテストを書きました。 ("Today I wrote tests.")
const sjis = Buffer.from('8da193fa82cd83658358836782f08f9182ab82dc82b582bd8142', 'hex');
w(
  'shift-jis.eml',
  head('sjis', 'text/plain; charset=Shift_JIS').replace(
    'MIME-Version: 1.0',
    'MIME-Version: 1.0\nContent-Transfer-Encoding: base64',
  ),
  sjis.toString('base64') + '\n',
);
// Declared UTF-8 but written by a latin1 client: "Réunion à 10h, déjà prête."
w(
  'invalid-utf8.eml',
  head('badutf8', 'text/plain; charset=utf-8').replace(
    'MIME-Version: 1.0',
    'MIME-Version: 1.0\nContent-Transfer-Encoding: 8bit',
  ),
  Buffer.from('Réunion à 10h, déjà prête.\r\n', 'latin1'),
);
// Plain UTF-8 reply with quoted history
w(
  'utf8-reply.eml',
  head('utf8', 'text/plain; charset=utf-8').replace(
    'MIME-Version: 1.0',
    'MIME-Version: 1.0\nContent-Transfer-Encoding: 8bit',
  ),
  Buffer.from(
    'Shipped the inbound parser 🚀 and fixed the naïve retry loop.\r\n\r\nOn Tue, 24 Nov 2026 at 17:00, Postroom <updates@in.postroom.test> wrote:\r\n> What did you get done today?\r\n',
    'utf8',
  ),
);
// Out-of-office auto-reply (RFC 3834)
w(
  'auto-reply-ooo.eml',
  `From: Ben Okafor <ben@example.org>
To: updates@in.postroom.test
Subject: Automatic reply: What did you get done today?
Date: Tue, 24 Nov 2026 17:06:00 +0000
Message-ID: <ooo-1@mail.example.org>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday.
`,
);
// Precedence: bulk, German OOO subject, no Auto-Submitted
w(
  'auto-reply-precedence.eml',
  `From: Clara Weiss <clara@example.de>
To: updates@in.postroom.test
Subject: Abwesenheitsnotiz: What did you get done today?
Date: Tue, 24 Nov 2026 17:07:00 +0000
Message-ID: <ooo-2@mail.example.de>
Precedence: bulk
Content-Type: text/plain; charset=utf-8

Ich bin bis 1. Dezember nicht im Büro.
`,
);
// RFC 3464 DSN, hard bounce
w(
  'bounce-dsn.eml',
  `Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: bounces@in.postroom.test
Subject: Undelivered Mail Returned to Sender
Date: Tue, 24 Nov 2026 17:08:00 +0000
Message-ID: <dsn-1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsnB"

--dsnB
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. Your message could not be delivered.

--dsnB
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 24 Nov 2026 17:07:59 +0000

Final-Recipient: rfc822; gone@example.net
Original-Recipient: rfc822;gone@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.net>: Recipient address rejected:
    User unknown in virtual mailbox table

--dsnB
Content-Type: text/rfc822-headers

From: Postroom <updates@in.postroom.test>
To: gone@example.net
Subject: What did you get done today?
Message-ID: <prompt-123@postroom.test>

--dsnB--
`,
);
// Soft bounce (4.x) with a mailer-daemon From but a normal Content-Type
w(
  'bounce-soft.eml',
  `Return-Path: <>
From: postmaster@mx.example.com
To: bounces@in.postroom.test
Subject: Delivery Status Notification (Delay)
Date: Tue, 24 Nov 2026 17:09:00 +0000
Message-ID: <dsn-2@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type="delivery-status"; boundary="b2"

--b2
Content-Type: text/plain

Delivery to the following recipient has been delayed: full@example.com

--b2
Content-Type: message/delivery-status

Reporting-MTA: dns;mx.example.com

Final-Recipient: rfc822;full@example.com
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp;452 4.2.2 Mailbox full

--b2--
`,
);
