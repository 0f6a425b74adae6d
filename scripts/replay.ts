/**
 * Replays a .eml file into a running Postroom through any provider endpoint, signed exactly as
 * that provider would sign it.
 *
 *   npx tsx scripts/replay.ts --provider mailgun  --key $MAILGUN_KEY          --to reply+…@in.example.com file.eml
 *   npx tsx scripts/replay.ts --provider sendgrid --auth user:pass [--parsed] --to …  file.eml
 *   npx tsx scripts/replay.ts --provider postmark --auth user:pass            --to …  file.eml
 *   npx tsx scripts/replay.ts --provider relay    --token $RELAY_TOKEN        --to …  file.eml
 *   npx tsx scripts/replay.ts --provider ses --topic arn:aws:sns:… --sns-key key.pem --dry-run file.eml
 *
 * --url defaults to http://localhost:3000. --dry-run prints the request instead of sending it.
 * SES is signed with the given RSA key; a real server only accepts it if its certificate
 * fetcher returns the matching certificate (tests inject one), so use --dry-run for SES.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  mailgunMimeRequest,
  postmarkRequest,
  relayRequest,
  sendgridParsedRequest,
  sendgridRawRequest,
  sesReceivedMessage,
  sesRequest,
  snsMessage,
  type HttpRequest,
} from './providers/sign.js';

const { values, positionals } = parseArgs({
  options: {
    provider: { type: 'string' },
    url: { type: 'string', default: 'http://localhost:3000' },
    key: { type: 'string' },
    auth: { type: 'string' },
    token: { type: 'string' },
    topic: { type: 'string' },
    'sns-key': { type: 'string' },
    to: { type: 'string', multiple: true },
    from: { type: 'string' },
    parsed: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

function need(name: string, v: string | undefined): string {
  if (!v) {
    console.error(`replay: --${name} is required for --provider ${values.provider}`);
    process.exit(64);
  }
  return v;
}

const file = positionals[0];
if (!file || !values.provider) {
  console.error(
    'usage: npx tsx scripts/replay.ts --provider sendgrid|mailgun|postmark|ses|relay [options] file.eml',
  );
  process.exit(64);
}
const raw = readFileSync(file);
const to = values.to ?? [];

function build(): HttpRequest {
  switch (values.provider) {
    case 'mailgun':
      return mailgunMimeRequest(raw, {
        key: need('key', values.key),
        recipient: to.join(','),
        ...(values.from ? { sender: values.from } : {}),
      });
    case 'sendgrid': {
      const auth = need('auth', values.auth);
      if (!values.parsed)
        return sendgridRawRequest(raw, { auth, to, ...(values.from ? { from: values.from } : {}) });
      const text = raw.toString('latin1');
      const split = text.search(/\r?\n\r?\n/);
      return sendgridParsedRequest({
        auth,
        to,
        headers: text.slice(0, split),
        text: Buffer.from(text.slice(split).trimStart(), 'latin1'),
      });
    }
    case 'postmark':
      return postmarkRequest(raw, { auth: need('auth', values.auth), to: to[0] ?? '' });
    case 'relay':
      return relayRequest(raw, {
        token: need('token', values.token),
        to,
        ...(values.from !== undefined ? { from: values.from } : {}),
      });
    case 'ses': {
      const topicArn = need('topic', values.topic);
      const keyPem = readFileSync(need('sns-key', values['sns-key']), 'utf8');
      return sesRequest(
        snsMessage(sesReceivedMessage(raw, { recipients: to }), { keyPem, topicArn }),
      );
    }
    default:
      console.error(`replay: unknown provider ${values.provider}`);
      process.exit(64);
  }
}

const req = build();
if (values['dry-run']) {
  process.stdout.write(
    `POST ${req.path}\n${Object.entries(req.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n\n`,
  );
  process.stdout.write(req.body);
  process.stdout.write('\n');
} else {
  try {
    const res = await fetch(new URL(req.path, values.url), {
      method: 'POST',
      headers: req.headers,
      body: req.body,
    });
    console.log(`${res.status} ${await res.text()}`);
    process.exit(res.ok ? 0 : 1);
  } catch (err) {
    console.error(`replay: ${(err as Error).message} (${values.url})`);
    process.exit(75);
  }
}
