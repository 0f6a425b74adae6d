/** Rows for the dashboard tests, written with plain SQL into the real tables of 0002–0004. */
import { newId } from '../../src/lib/ids.js';
import type pg from 'pg';

export const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/** `hostile` puts script-looking text into names and entries, to prove it is escaped. */
export async function seedTeam(
  db: pg.Pool,
  now = new Date('2026-11-24T08:00:00Z'),
  hostile = true,
) {
  const teamId = newId();
  const ana = newId();
  const bo = newId();
  await db.query(
    `INSERT INTO teams (id, name, time_zone, question, created_at, updated_at) VALUES ($1, $2, 'Europe/Berlin', 'What did you do?', $3, $3)`,
    [teamId, hostile ? `Platform ${XSS}` : 'Platform', now],
  );
  await db.query(
    `INSERT INTO members (id, team_id, email, name, created_at, updated_at) VALUES
       ($1, $3, 'ana@example.com', 'Ana', $4, $4), ($2, $3, 'bo@example.com', 'Bo', $4, $4)`,
    [ana, bo, teamId, now],
  );
  const entry = async (
    member: string,
    date: string,
    kind: string,
    text: string,
    tags: string[],
    mentions: string[] = [],
  ) =>
    db.query(
      `INSERT INTO entries (id, team_id, member_id, local_date, kind, text, tags, mentions, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [newId(), teamId, member, date, kind, text, tags, mentions, now],
    );
  await entry(
    ana,
    '2026-11-23',
    'done',
    'Shipped the #billing export for @bo',
    ['billing'],
    ['bo'],
  );
  await entry(ana, '2026-11-23', 'goal', 'Write the migration guide', []);
  await entry(
    bo,
    '2026-11-23',
    'blocker',
    hostile ? `Waiting on ops ${XSS}` : 'Waiting on ops for the staging database',
    [],
  );
  await entry(bo, '2026-11-20', 'done', 'Tuned the #billing queries', ['billing']);
  await entry(bo, '2026-11-20', 'done', 'Reviewed deploy scripts', ['ops']);
  for (const [date, status] of [
    ['2026-11-23', 'answered'],
    ['2026-11-20', 'answered'],
    ['2026-11-19', 'missed'],
  ] as const) {
    await db.query(
      `INSERT INTO prompts (id, team_id, member_id, local_date, due_at, cutoff_at, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $5)`,
      [newId(), teamId, ana, date, now, status],
    );
  }
  return { teamId, ana, bo };
}

export async function seedOutbound(db: pg.Pool, now = new Date('2026-11-24T07:30:00Z')) {
  const id = newId(now.getTime());
  await db.query(
    `INSERT INTO outbound_messages (id, status, stream, from_address, to_addresses, recipients, subject, html, text,
       headers, tags, message_id_header, expires_at, created_at, updated_at, sent_at, attempts)
     VALUES ($1, 'sent', 'transactional', '"postroom@localhost"', '["ana@example.com"]', '{ana@example.com}', $2, $3, 'plain text',
       '{"X-Campaign": "nov"}', '{welcome}', '<m1@localhost>', $4, $4, $4, $4, 1)`,
    [id, `Hello ${XSS}`, `<p>Hi</p>${XSS}<img src="https://tracker.example/pixel.gif">`, now],
  );
  await db.query(
    `INSERT INTO message_events (message_id, type, from_status, to_status, reason, smtp_code, smtp_response, at)
     VALUES ($1, 'accept', 'sending', 'sent', NULL, 250, '250 OK queued', $2)`,
    [id, now],
  );
  await db.query(
    `INSERT INTO outbound_message_raw (message_id, raw, transport, created_at) VALUES ($1, $2, 'smtp', $3)`,
    [id, Buffer.from('Subject: Hello\r\nX-Campaign: nov\r\n\r\nplain text\r\n'), now],
  );
  return { id };
}

export async function seedInbound(db: pg.Pool, now = new Date('2026-11-24T07:45:00Z')) {
  const id = newId(now.getTime());
  const raw = Buffer.from(
    `From: Ana <ana@example.com>\r\nSubject: Re: today ${XSS}\r\n\r\nShipped it\r\n\r\n- Ana\r\n\r\n> quoted history\r\n`,
  );
  await db.query(
    `INSERT INTO inbound_emails (id, provider, message_id, sha256, size_bytes, envelope_to, status, from_address, subject,
       classification, reply, received_at, processed_at, updated_at)
     VALUES ($1, 'relay', 'in1@example.com', 'abc', $2, '{reply@postroom.test}', 'processed', 'ana@example.com', $3,
       '{"autoReply": false}',
       '{"text": "Shipped it", "signature": "- Ana", "quoted": "> quoted history", "method": "quote-block", "flags": ["quote-block", "sender-name", "signature"]}',
       $4, $4, $4)`,
    [id, raw.length, `Re: today ${XSS}`, now],
  );
  await db.query(`INSERT INTO inbound_email_raw (inbound_email_id, raw) VALUES ($1, $2)`, [
    id,
    raw,
  ]);
  return { id };
}
