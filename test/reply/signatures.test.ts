/**
 * Issue 15, rule by rule: the sender's own name closes a reply, valedictions and the name under
 * them, signature blocks scored from their fields, and our own messages pasted back. Each rule
 * also has its limits: what looks like a signature but is content stays.
 */
import { extractReply, type ReplyContext } from '../../src/reply/index.js';

const dana: ReplyContext = {
  sender: { name: 'Dana Smith', address: 'dana.smith@acme.example', otherNames: [] },
};
const cut = (text: string, context?: ReplyContext) => {
  const r = extractReply({ text }, context);
  return [r.text, r.signature];
};

describe('the sender’s own name closes the reply', () => {
  it.each([
    ['Dana'],
    ['- Dana'],
    ['—D'],
    ['Dana S.'],
    ['D.'],
    ['DS'],
    ['/Dana'],
    ['dana.smith'],
    ['Dana Smith | Head of Platform\nAcme Inc. | www.acme.example\nM: +1 555 123 4567'],
    ['Thanks!\nDana'],
  ])('%s', (signature) => {
    expect(cut(`Shipped the importer\nFixed the login bug\n\n${signature}`, dana)).toEqual([
      'Shipped the importer\nFixed the login bug',
      signature,
    ]);
  });

  it('takes the names on record and the From: of a parsed mail', () => {
    const member = { sender: { address: 'x@acme.example', otherNames: ['Lena Fischer'] } };
    expect(cut('Did the review\n\nLF', member)).toEqual(['Did the review', 'LF']);
    const parsed = { text: 'Did the review\n\n-Bo', from: { value: [{ name: 'Bo Berg' }] } };
    expect(extractReply(parsed).signature).toBe('-Bo');
  });

  it.each([
    ['a name inside a sentence', 'Called Dana about invoices'],
    ['the name in a line of work', 'Paired with Dana on the importer\nDana and Tom demoed it'],
    ['a name block in the middle', 'Dana\nShipped the exporter\nFixed the login bug'],
    ['another person’s name', 'Fixed the export\n\nBo'],
  ])('%s stays', (_name, text) => {
    expect(cut(text, dana)).toEqual([text, '']);
  });
});

describe('signatures without a delimiter, without a context', () => {
  it.each([
    ['Thanks,\nJane', 'en'],
    ['Viele Grüße\nJonas', 'de'],
    ['Cordialement,\nCamille Martin\nIngénieure logiciel', 'fr'],
    ['Met vriendelijke groet,\nSanne de Vries', 'nl'],
    ['Pozdrawiam,\nKasia', 'pl'],
    ['С уважением,\nИван Петров', 'ru'],
    ['よろしくお願いします。\n田中', 'ja'],
    ['此致\n敬礼\n李雷', 'zh'],
    ['Cheers, Bo', 'en'],
    ['Best,', 'en'],
    ['Jane Doe\nStaff Engineer, Acme\n+1 555 0100', 'en'],
    ['John Smith | Product Designer\nAcme Ltd. | www.acme.example', 'en'],
    ['Bob', 'en'],
  ])('%s (%s)', (signature) => {
    expect(cut(`Fixed the export\n\n${signature}`)).toEqual(['Fixed the export', signature]);
  });

  it.each([
    ['a line of work with a URL', 'Fixed login\nDeployed https://status.acme.example'],
    ['a company in a sentence', 'Renewal prep\n\nCall with ACME Ltd about renewal'],
    ['thanks as content', 'Merged the importer\nThanks to @ana for the review'],
    ['short capitalised lines', 'Standup\nCode Review\nDeploy'],
    ['a list of names', 'Gave feedback to:\nAna Lima\nTom Berg'],
    ['a sign-off in the middle', 'Shipped\n\nThanks,\nDana\n\nP.S. staging is back'],
    ['companies as entries', 'Onboarded:\n- Globex Inc.\n- Initech LLC'],
  ])('%s stays', (_name, text) => {
    expect(cut(text)).toEqual([text, '']);
  });
});

describe('our own messages pasted back', () => {
  const parent = [
    'Hi Dana,',
    '',
    'The invoice export for November is ready. It covers 1,204 invoices and 3 credit notes.',
    'Reply to this email if anything looks wrong.',
    '',
    'Acme Billing',
  ].join('\n');
  const context: ReplyContext = { ...dana, parents: [parent, `<p>${parent}</p>`] };
  const attribution =
    "Nhar it-Tlieta, 24 ta' Novembru 2026, 17:02 Acme <billing@acme.example> kiteb:";

  // A quoted copy under a line with a date and a colon is history by the rules already.
  it.each([
    ['quoted', parent.replace(/^/gm, '> '), 'quote-block'],
    ['unquoted', parent, 'parent'],
    ['re-wrapped', parent.replace(/\n/g, ' ').replace(/(.{1,40})(\s|$)/g, '$1\n'), 'parent'],
    ['with punctuation and case changed', parent.toUpperCase().replace(/[.,]/g, ''), 'parent'],
  ])('%s, under an attribution in a language no rule knows', (_form, copy, method) => {
    const r = extractReply({ text: `Looks right.\n\nDana\n\n${attribution}\n${copy}` }, context);
    expect([r.text, r.signature, r.method]).toEqual(['Looks right.', 'Dana', method]);
    expect(r.quoted).toContain('kiteb:');
  });

  it('keeps the answers of an inline reply, cutting only the copy that closes it', () => {
    const text = `${attribution}\n> The invoice export for November is ready. It covers 1,204 invoices and 3 credit notes.\n\nThe count matches.\n\n> Reply to this email if anything looks wrong.\n\nAll good.`;
    expect(extractReply({ text }, context).text).toBe(text);
  });

  it('does not cut a phrase the person reused from the parent', () => {
    const text = 'Checked: it covers 1,204 invoices and 3 credit notes.';
    expect(extractReply({ text }, context).text).toBe(text);
  });
});
