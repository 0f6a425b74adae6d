/**
 * A discarding smtp-server sink in its own process, so it does not share an event loop with the
 * sender being measured. Prints its port; answers "count" on stdin with the number received.
 */
import { startSmtpSink } from '../../test/support/smtp-sink.js';

const sink = await startSmtpSink({ discard: true });
process.stdout.write(`${sink.port}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  for (const line of d.split('\n'))
    if (line.trim() === 'count') process.stdout.write(`${sink.messages.length}\n`);
});
process.stdin.on('end', () => void sink.close().then(() => process.exit(0)));
