/**
 * Plain-text reply bodies for the corpus: layouts that reach us as text only (converters,
 * mailing lists, older clients) and the traps a reply parser must not fall into. Written for
 * Postroom; `expected` is exactly what the person typed.
 */

export interface TextCase {
  id: string;
  body: string;
  expected: string;
  tags: string[];
}

const M = 'Maria Keller <maria.keller@acme.example>';

export const TEXT_CASES: TextCase[] = [
  {
    id: 'outlook-bold-block-en',
    body: `Numbers are in the sheet.\n\n*From:* Maria Keller [mailto:maria.keller@acme.example]\n*Sent:* Tuesday, November 24, 2026 5:02 PM\n*To:* Jane Doe\n*Subject:* RE: numbers\n\nCan you add the November numbers?\n`,
    expected: 'Numbers are in the sheet.',
    tags: ['en', 'header-block'],
  },
  {
    id: 'original-message-en',
    body: `Will do, thanks.\n\n-----Original Message-----\nFrom: ${M}\nSent: Tuesday, November 24, 2026 5:02 PM\nTo: Jane Doe <jane.doe@mail.example.net>\nSubject: Release notes\n\nCould you write the release notes?\n`,
    expected: 'Will do, thanks.',
    tags: ['en', 'separator'],
  },
  {
    id: 'original-message-de',
    body: `Erledigt.\n\n-----Ursprüngliche Nachricht-----\nVon: ${M}\nGesendet: Dienstag, 24. November 2026 17:02\nAn: Jane Doe\nBetreff: Release\n\nKannst du das Release vorbereiten?\n`,
    expected: 'Erledigt.',
    tags: ['de', 'separator'],
  },
  {
    id: 'gmail-iso-date-header',
    body: `Ok, merged.\n\n2026-11-24 17:02 GMT+01:00 ${M}:\n\n> Can you merge #88?\n>\n`,
    expected: 'Ok, merged.',
    tags: ['en', 'quote-header'],
  },
  {
    id: 'dashed-attribution',
    body: `Looks good to me.\n\n------ On 24/11/2026 17:02, Maria Keller wrote ------\n\nHere is the draft for the postmortem.\n`,
    expected: 'Looks good to me.',
    tags: ['en', 'quote-header'],
  },
  {
    id: 'shared-line-attribution',
    body: `Approved. On Tue, Nov 24, 2026 at 5:02 PM, maria.keller@acme.example wrote:\n> Can you approve the budget?\n`,
    expected: 'Approved.',
    tags: ['en', 'quote-header'],
  },
  {
    id: 'bottom-post-no-header',
    body: `> Status of the importer?\n> Anything blocking?\n> Need help from infra?\n\nImporter is done, nothing blocking.\n`,
    expected: 'Importer is done, nothing blocking.',
    tags: ['en', 'bottom-post'],
  },
  {
    id: 'typed-quote-middle',
    body: `The customer said:\n> we cannot log in since Monday\nI reset their SSO config, fixed.\n`,
    expected:
      'The customer said:\n> we cannot log in since Monday\nI reset their SSO config, fixed.',
    tags: ['en', 'typed-quote'],
  },
  {
    id: 'typed-quote-trailing',
    body: `Quote of the day from the retro:\n> ship small, ship often\n`,
    expected: 'Quote of the day from the retro:\n> ship small, ship often',
    tags: ['en', 'typed-quote'],
  },
  {
    id: 'only-quotes',
    body: `> What did you get done today?\n>\n> ## Reply above this line ##\n`,
    expected: '',
    tags: ['en', 'empty'],
  },
  {
    id: 'crlf-nbsp-zero-width',
    body: `Fixed\u00a0the build\r\n\u200bDeployed 2.3\u200d\r\n\r\nOn Tue, Nov 24, 2026 at 5:02 PM ${M} wrote:\r\n> Status?\r\n`,
    expected: 'Fixed the build\nDeployed 2.3',
    tags: ['en', 'normalisation'],
  },
  {
    id: 'marker-without-header',
    body: `Done: rollout of 2.3 to all regions\n\n> ## Reply above this line ##\n> Hi Jane,\n> What did you get done today?\n`,
    expected: 'Done: rollout of 2.3 to all regions',
    tags: ['en', 'marker'],
  },
  {
    id: 'sent-from-sentence',
    body: `Sent from my desk, where the VPN finally works again.\n- Finished the VPN runbook\n`,
    expected: 'Sent from my desk, where the VPN finally works again.\n- Finished the VPN runbook',
    tags: ['en', 'content'],
  },
  {
    id: 'dash-dash-signature',
    body: `Closed 4 tickets.\n\n-- \nJane Doe\nSupport lead, Acme\n`,
    expected: 'Closed 4 tickets.',
    tags: ['en', 'signature'],
  },
  {
    // A sign-off and the name under it are a signature (issue 15), not two entries.
    id: 'sign-off-cut',
    body: `Finished the audit.\n\nBest regards,\nJane\n`,
    expected: 'Finished the audit.',
    tags: ['en', 'sign-off'],
  },
  {
    id: 'yahoo-no-blank-line',
    body: `Done\n On Tuesday, November 24, 2026, 05:02:11 PM GMT+1, ${M} wrote:\n\n Are you done with the export?\n`,
    expected: 'Done',
    tags: ['en', 'quote-header'],
  },
  {
    id: 'outlook-ru',
    body: `Сделано.\n\nОт: Мария Келлер <maria.keller@acme.example>\nОтправлено: 24 ноября 2026 г. 17:02\nКому: Jane Doe\nТема: Re: отчёт\n\nКак дела с отчётом?\n`,
    expected: 'Сделано.',
    tags: ['ru', 'header-block'],
  },
  {
    id: 'gmail-ja-wrapped',
    body: `完了しました。\n\n2026年11月24日(火) 17:02 Maria Keller <\nmaria.keller@acme.example>:\n\n> 進捗はどうですか？\n`,
    expected: '完了しました。',
    tags: ['ja', 'wrapped-header'],
  },
  {
    id: 'apple-zh-quoted-attribution',
    body: `已完成。\n\n> 在 2026年11月24日，17:02，${M} 写道：\n> \n> 进度如何？\n`,
    expected: '已完成。',
    tags: ['zh', 'quote-header'],
  },
  {
    id: 'gmail-hu',
    body: `Kész.\n\n${M} ezt írta (időpont: 2026. nov. 24., K, 17:02):\n\n> Kész van a jelentés?\n`,
    expected: 'Kész.',
    tags: ['hu', 'quote-header'],
  },
  {
    id: 'gmail-el',
    body: `Έγινε.\n\nΣτις Τρί 24 Νοε 2026 στις 5:02 μ.μ., ο/η ${M} έγραψε:\n\n> Τελείωσε;\n`,
    expected: 'Έγινε.',
    tags: ['el', 'quote-header'],
  },
  {
    id: 'mailing-list-footer',
    body: `Fixed in main.\n\n-Jane\n\n_______________________________________________\ndev mailing list\ndev@lists.acme.example\nhttps://lists.acme.example/listinfo/dev\n`,
    expected: 'Fixed in main.',
    tags: ['en', 'signature'],
  },
  {
    id: 'inline-without-header',
    body: `> Did you deploy?\nYes, at 3 pm.\n> Any issues?\nNone so far.\n`,
    expected: '> Did you deploy?\nYes, at 3 pm.\n> Any issues?\nNone so far.',
    tags: ['en', 'inline'],
  },
  {
    id: 'nested-history',
    body: `Agreed.\n\nOn Tue, Nov 24, 2026 at 5:02 PM ${M} wrote:\n> Ok for Friday?\n>\n> On Mon, Nov 23, 2026 at 9:00 AM Tom Berg <tom@acme.example> wrote:\n>> Can we ship on Friday?\n`,
    expected: 'Agreed.',
    tags: ['en', 'quote-header'],
  },
  {
    id: 'signature-before-history',
    body: `Done.\n\n-- \nJane\n\nOn Tue, Nov 24, 2026 at 5:02 PM ${M} wrote:\n> Done?\n`,
    expected: 'Done.',
    tags: ['en', 'signature'],
  },
  {
    id: 'three-dashes-kept',
    body: `Plan:\n---\nA. migrate the invoices table\nB. backfill the totals\n`,
    expected: 'Plan:\n---\nA. migrate the invoices table\nB. backfill the totals',
    tags: ['en', 'content'],
  },
  {
    id: 'outlook-da',
    body: `Færdig.\n\nFra: ${M}\nSendt: 24. november 2026 17:02\nTil: Jane Doe <jane.doe@mail.example.net>\nEmne: Status\n\nEr du færdig?\n`,
    expected: 'Færdig.',
    tags: ['da', 'header-block'],
  },
  {
    id: 'gmail-vi',
    body: `Xong rồi.\n\nVào 17:02 Th 3, 24 thg 11, 2026 ${M} đã viết:\n\n> Xong chưa?\n`,
    expected: 'Xong rồi.',
    tags: ['vi', 'quote-header'],
  },
  {
    id: 'gmail-id',
    body: `Sudah selesai.\n\nPada tanggal Sel, 24 Nov 2026 17.02, ${M} menulis:\n\n> Sudah selesai?\n`,
    expected: 'Sudah selesai.',
    tags: ['id', 'quote-header'],
  },
  {
    id: 'gmail-he',
    body: `סיימתי את הדוח.\n\nבתאריך יום ג׳, 24 בנוב׳ 2026 ב-17:02 מאת ${M}:\n\n> סיימת?\n`,
    expected: 'סיימתי את הדוח.',
    tags: ['he', 'quote-header'],
  },
  {
    id: 'gmail-ar',
    body: `أنهيت التقرير.\n\nفي الثلاثاء، 24 نوفمبر 2026 في 5:02 م تمت كتابة ما يلي بواسطة ${M}:\n\n> هل انتهيت؟\n`,
    expected: 'أنهيت التقرير.',
    tags: ['ar', 'quote-header'],
  },
  {
    id: 'android-fenced-attribution',
    body: `On my way, will send numbers tonight.\n\n-------- Maria Keller wrote --------\n\n> Numbers?\n`,
    expected: 'On my way, will send numbers tonight.',
    tags: ['en', 'quote-header'],
  },
  {
    id: 'lone-from-line',
    body: `Sure, I'll take it.\n\nFrom: ${M}\n\nWho can take the on-call swap on Friday?\n`,
    expected: "Sure, I'll take it.",
    tags: ['en', 'header-block'],
  },
  {
    id: 'colon-heavy-update',
    body: `Status: green\nBlockers: none\nNext: load test on Thursday\nNote: the staging DB was restarted at 14:00.\n`,
    expected:
      'Status: green\nBlockers: none\nNext: load test on Thursday\nNote: the staging DB was restarted at 14:00.',
    tags: ['en', 'content'],
  },
  {
    id: 'trailing-quote-no-header',
    body: `Agreed, let's ship on Friday.\n\n> Shall we ship on Friday or wait for the audit?\n`,
    expected: "Agreed, let's ship on Friday.",
    tags: ['en', 'quote-block'],
  },
  {
    id: 'polymail-broken-attribution',
    body: `Sounds good.\n\nOn Tue, Nov 24, 2026 at 5:02 PM Maria Keller\n\n<\nmailto:Maria Keller <maria.keller@acme.example>\n> wrote:\nCan we move the demo?\n`,
    expected: 'Sounds good.',
    tags: ['en', 'quote-header'],
  },
  {
    id: 'gmail-android-de-verb-after-address',
    body: `Passt.\n\n${M} schrieb am Di., 24. Nov. 2026, 17:02:\n\n> Passt Freitag?\n`,
    expected: 'Passt.',
    tags: ['de', 'quote-header'],
  },
  {
    id: 'feedback-banner-kept',
    body: `Notes from the call.\n\n------------ Action items ------------\n\n- Jane: export fix\n- Tom: SSO docs\n`,
    expected:
      'Notes from the call.\n\n------------ Action items ------------\n\n- Jane: export fix\n- Tom: SSO docs',
    tags: ['en', 'content'],
  },
];
