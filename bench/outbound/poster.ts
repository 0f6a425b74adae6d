/**
 * The API client of the outbound bench's (c), in its own process: building and posting the
 * batches is the caller's work, and in the bench's process it took the event loop that the
 * Postroom process being measured runs on. Prints "ready"; on `post <baseUrl> <key> <n>` it posts
 * n messages in batches of 1,000 and prints "done", or "error <message>".
 */
import { postAll } from './api-client.js';

process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  for (const line of d.split('\n').filter(Boolean)) {
    const [command, baseUrl, key, n] = line.trim().split(' ');
    if (command !== 'post') continue;
    postAll(baseUrl!, key!, Number(n)).then(
      () => process.stdout.write('done\n'),
      (err: unknown) => process.stdout.write(`error ${String(err).replace(/\n/g, ' ')}\n`),
    );
  }
});
process.stdin.on('end', () => process.exit(0));
