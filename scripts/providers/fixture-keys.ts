/** Fixed, non-secret keys and time of the committed provider fixtures (generate.ts). */
export const FIXTURE_TIME = new Date('2026-11-24T17:05:00Z');
export const FIXTURE_KEYS = {
  mailgun: 'fixture-mailgun-signing-key',
  sendgrid: 'fixture:sendgrid-pass',
  postmark: 'fixture:postmark-pass',
  relay: 'fixture-relay-token',
  sesTopic: 'arn:aws:sns:eu-west-1:123456789012:postroom-fixtures',
};
