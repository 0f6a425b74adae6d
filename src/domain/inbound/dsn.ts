/**
 * RFC 3464 delivery status notifications: the `message/delivery-status` part of a
 * multipart/report bounce. Status 4.x.x is a soft (transient) failure, 5.x.x a hard one;
 * only `Action: failed` and `delayed` recipients are bounces (`delivered`/`relayed`/`expanded`
 * are success reports some MTAs send on request).
 */

export interface DsnRecipient {
  recipient: string;
  action: string;
  status: string | null;
  bounce: 'hard' | 'soft' | null;
  diagnostic: string | null;
}

export interface Dsn {
  reportingMta: string | null;
  recipients: DsnRecipient[];
  /** Message-ID of the message that bounced, from the returned headers when present. */
  originalMessageId: string | null;
}

/** Splits an RFC 822-style field block (with folded lines) into lower-cased name/value pairs. */
function fieldBlocks(text: string): Array<Map<string, string>> {
  const blocks: Array<Map<string, string>> = [];
  for (const chunk of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | null = null;
    for (const line of chunk.split('\n')) {
      if (/^[ \t]/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      if (!fields.has(last)) fields.set(last, m[2]!.trim());
    }
    if (fields.size > 0) blocks.push(fields);
  }
  return blocks;
}

/** `rfc822; a@b` → `a@b` */
function typedAddress(value: string | undefined): string | null {
  if (!value) return null;
  const semi = value.indexOf(';');
  const addr = (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<|>$/g, '');
  return addr === '' ? null : addr.toLowerCase();
}

export function severityOf(status: string | null): 'hard' | 'soft' | null {
  if (!status) return null;
  if (/^5\./.test(status)) return 'hard';
  if (/^4\./.test(status)) return 'soft';
  return null;
}

export function parseDeliveryStatus(text: string, returnedHeaders?: string): Dsn {
  const blocks = fieldBlocks(text);
  const perMessage = blocks[0] ?? new Map<string, string>();
  const recipients: DsnRecipient[] = [];
  for (const block of blocks) {
    const recipient = typedAddress(block.get('final-recipient') ?? block.get('original-recipient'));
    if (!recipient) continue;
    const statusMatch = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(block.get('status') ?? '');
    const status = statusMatch ? statusMatch[1]! : null;
    const action = (block.get('action') ?? '').toLowerCase();
    const failed = action === 'failed' || action === 'delayed' || action === '';
    recipients.push({
      recipient,
      action: action || 'failed',
      status,
      bounce: failed ? (action === 'delayed' ? 'soft' : (severityOf(status) ?? 'hard')) : null,
      diagnostic: block.get('diagnostic-code') ?? null,
    });
  }
  return {
    reportingMta: typedAddress(perMessage.get('reporting-mta')),
    recipients,
    originalMessageId: returnedHeaders ? messageIdFromHeaders(returnedHeaders) : null,
  };
}

function messageIdFromHeaders(headers: string): string | null {
  const m = /^message-id:\s*(<[^>\s]+>|\S+)/im.exec(headers.replace(/\r\n[ \t]+/g, ' '));
  return m ? normalizeMessageId(m[1]!) : null;
}

/** Message-IDs are compared without angle brackets, domain part lower-cased. */
export function normalizeMessageId(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  const at = bare.lastIndexOf('@');
  return at < 0 ? bare : `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
}
