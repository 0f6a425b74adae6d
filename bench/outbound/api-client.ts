/**
 * What the outbound bench sends and how it posts it: the message body every sender uses, and
 * POST /v1/messages(/batch) with an API key. Light on purpose: the poster process loads it.
 */
export const HTML = `<html><body><h1>Weekly report</h1>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>'.repeat(14)}</body></html>`;
export const TEXT =
  'Weekly report\n\n' +
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n'.repeat(14);

export async function post(baseUrl: string, key: string, path: string, body: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ accepted?: unknown[] }>;
}

/** Messages `from`…`from + count - 1`, one recipient each. */
export function batch(from: number, count: number) {
  return Array.from({ length: count }, (_, k) => ({
    to: [`user${from + k}@example.org`],
    subject: `Report ${from + k}`,
    html: HTML,
    text: TEXT,
  }));
}

/** Posts `n` messages in batches of 1,000, one request after another. */
export async function postAll(baseUrl: string, key: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1000)
    await post(baseUrl, key, '/v1/messages/batch', { messages: batch(i, Math.min(1000, n - i)) });
}
