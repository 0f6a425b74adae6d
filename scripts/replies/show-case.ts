/**
 * Prints what extractReply makes of one message: `npx tsx scripts/replies/show-case.ts FILE`
 * (.eml is parsed with mailparser, anything else is read as a text body).
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { extractReply } from '../../src/reply/index.js';

async function main(file: string): Promise<void> {
  const raw = readFileSync(file);
  const input = file.endsWith('.eml') ? await simpleParser(raw) : { text: raw.toString('utf8') };
  console.log('--- body text\n' + String(input.text ?? ''));
  console.log('--- result');
  console.log(extractReply(input));
}

void main(process.argv[2] ?? '');
