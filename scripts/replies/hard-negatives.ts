/**
 * Hard negatives for signature cutting: replies whose last lines hold URLs, phone numbers,
 * names, companies, titles or short capitalised lines, and are still work the person reports.
 * Every one must come out whole. Some are read with a sender, whose name appears in content.
 */
export interface HardNegative {
  id: string;
  body: string;
  sender?: { name: string; address: string };
}

const dana = { name: 'Dana Smith', address: 'dana.smith@acme.example' };
const bo = { name: 'Bo Berg', address: 'bo@acme.example' };

const LINES: [string, string][] = [
  ['deployed-url', 'Fixed the login bug\nDeployed https://status.acme.example'],
  ['call-company', 'Renewal prep\n\nCall with ACME Ltd about renewal'],
  ['thanks-mention', 'Merged the importer\nThanks to @ana for the review'],
  ['phone-in-sentence', 'Support rotation\nCalled the customer back on +1 555 010 2030 about the outage'],
  ['name-in-sentence', 'Called Dana about invoices'],
  ['short-lines', 'Standup\nCode Review\nDeploy'],
  ['release-link', 'Release notes are up:\nhttps://acme.example/releases/2.3'],
  ['company-list', 'Onboarded three customers:\n- Globex Inc.\n- Initech LLC\n- Umbrella GmbH'],
  ['meeting-with-title', 'Prep for Friday\n\nSync with the Head of Platform on the budget'],
  ['vendor-call', 'Vendor review\nMet with Initech GmbH, they will send a quote by Monday'],
  ['hiring', 'Interviewed two candidates for Staff Engineer\nWrote the scorecards'],
  ['address-task', 'Booked the offsite venue\nConfirmed the address with the hotel: 12 Harbour Street, Leeds'],
  ['email-task', 'Sent the invoice to billing@globex.example\nUpdated the CRM'],
  ['dns', 'Moved acme.example to the new DNS provider\nTTLs are back to 300s'],
  ['goal-url', '[ ] Write up https://wiki.acme.example/runbooks/db-failover'],
  ['blocker-phone', '! Waiting on the carrier, ticket line +44 20 5555 0123'],
  ['tags-last', 'Shipped the importer #backend\nFixed the flaky test #ci'],
  ['mention-last', 'Paired on the search index\n@maria can you review?'],
  ['pipe-status', 'Status: importer | done\nStatus: exporter | in review'],
  ['numbers', 'Closed tickets 4411, 4412 and 4415\nP95 latency 210 ms'],
  ['handles', 'Reviewed PRs from @ana, @tom and @li'],
  ['dashes-section', 'Morning\n---\nCustomer calls\n---\nAfternoon: planning'],
  ['title-case-items', 'Quarterly Planning\nBudget Review\nHiring Plan Draft'],
  ['names-list', 'Gave feedback to:\nAna Lima\nTom Berg'],
  ['attendees', 'Design review with\nMaria Keller\nLucas Weber'],
  ['product-update', 'Product Manager sync moved to Thursday'],
  ['thanks-sentence', 'Thanks for the quick turnaround on the API keys, all set now.'],
  ['best-practice', 'Wrote the guide\nBest Practices for on-call'],
  ['cheers-sentence', 'Cheers to the team for hitting the deadline!\nShipped 2.3'],
  ['regards-sentence', 'Emailed legal with regards to the DPA'],
  ['dash-task', 'Things done\n- Review'],
  ['link-list', 'Docs:\nhttps://docs.acme.example/a\nhttps://docs.acme.example/b'],
  ['phone-setup', 'Set up the support hotline\nNumber is +1 555 0100, live from Monday'],
  ['ceo-note', 'Prepared the board deck for the CEO\nSent it to the CFO for numbers'],
  ['linkedin-task', 'Posted the job ad on LinkedIn and Twitter'],
  ['gmbh-founding', 'Registered Acme Labs GmbH with the notary today'],
  ['office-move', 'Office move\nNew address: Torstraße 12, 10119 Berlin\nKeys on Monday'],
  ['signature-feature', 'Built the email signature editor\nAdded phone and title fields'],
  ['sent-sentence', 'Sent from the office printer, the labels look fine now.'],
  ['sent-product', 'Migrated the webhooks.\nSent using the new API client.'],
  ['japanese-content', '請求書のCSVエクスポートを完了\n田中さんとレビュー'],
  ['german-content', 'Rechnungen exportiert\nTermin mit der Acme GmbH vereinbart'],
  ['french-content', 'Export terminé\nAppel avec Globex SA demain à 10h'],
  ['spanish-content', 'Exportación terminada\nLlamada con Initech S.L. el lunes'],
  ['russian-content', 'Выгрузка готова\nСозвон с ООО «Ромашка» в понедельник'],
  ['short-dones', 'Importer\nExporter\nDocs'],
  ['ps-after', 'Shipped the export\n\nThanks,\nDana\n\nP.S. the staging DB is back up, please test'],
  ['question-last', 'Fixed the build\nWho owns the billing alerts?'],
];

/** Content that names the sender: the rules that use the sender's name must leave it. */
const WITH_SENDER: [string, string, { name: string; address: string }][] = [
  ['sender-in-sentence', 'Called Dana about invoices\nFixed the exporter', dana],
  ['sender-mentioned-last', 'Paired with Bo on the importer\nReviewed the design with Bo and Ana', bo],
  ['sender-name-in-task', 'Updated the Dana Smith account in the CRM', dana],
  ['sender-name-heading', 'Shipped the export\nDana and Tom demoed it to sales', dana],
  ['sender-handle', 'Reviewed the PR\n@bo please merge when green', bo],
  ['sender-email', 'Forwarded the logs to dana.smith@acme.example for the audit', dana],
  ['sender-middle-block', 'Dana\nShipped the exporter\nFixed the login bug', dana],
];

export const HARD_NEGATIVES: HardNegative[] = [
  ...LINES.map(([id, body]) => ({ id, body })),
  ...WITH_SENDER.map(([id, body, sender]) => ({ id, body, sender })),
];
