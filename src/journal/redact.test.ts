import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { luhn, patternProblem } from './detectors.js';
import { defaultRedaction } from './journal-config.js';
import { ContentRedactor, type RedactionCounts } from './redact.js';

const all = new ContentRedactor(defaultRedaction());
const r = (s: string) => all.text(s);

/** Each positive is replaced whole by its kind; each near miss comes back unchanged. */
function detector(kind: string, positives: string[], nearMisses: string[]): void {
  for (const p of positives) {
    const counts: RedactionCounts = {};
    assert.equal(all.text(`before ${p} after`, counts), `before [REDACTED:${kind}] after`, `should redact ${JSON.stringify(p)}`);
    assert.deepEqual(counts, { [kind]: 1 });
  }
  for (const n of nearMisses) assert.equal(r(`before ${n} after`), `before ${n} after`, `should keep ${JSON.stringify(n)}`);
}

describe('journal redaction: built-in detectors', () => {
  it('e-mail addresses, not handles, local names or file names', () => {
    detector('email', ['ada@example.com', 'first.last+tag@mail.example.co.uk', 'X_Y%z@sub-domain.example.org'], ['@ada', 'ada@localhost', 'user@example.c', 'photo@2x.png3', 'a @ b.com']);
  });

  it('OpenAI, Anthropic and Switchyard keys by prefix, each named', () => {
    detector('openai_key', ['sk-abcdefghijklmnopqrstuvwx1234', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz_0123-xyz'], ['sk-short', 'task-abcdefghijklmnopqrstuvwxyz', 'sk abcdefghijklmnopqrstuvwxyz']);
    detector('anthropic_key', ['sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx-yz0123456789'], ['sk-ant-short']);
    detector('switchyard_key', ['sk-sy-0123456789abcdefXYZ'], ['sk-sy-tiny']);
  });

  it('Google, AWS, GitHub, Slack and Stripe keys', () => {
    detector('google_key', ['AIzaSyA1234567890abcdefghijklmnopqrstuv'], ['AIzaSyShort', 'AIza']);
    detector('aws_key', ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A'], ['AKIAiosfodnn7example', 'AKIAIOSFODNN7EXAMPLEXYZ', 'XAKIAIOSFODNN7EXAMPLE']);
    detector('github_token', ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop'], ['ghp_tooshort', 'gh_0123456789abcdefghijABCDEFGHIJ012345']);
    detector('slack_token', ['xoxb-1234567890-abcdefghij', 'xoxp-1234-5678-abcdefghijkl'], ['xoxb-123', 'xoxz-1234567890-abcdefghij']);
    detector('stripe_key', ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'rk_test_51Hc0123456789abcdef'], ['sk_live_short', 'pk_live_4eC39HqLyjWDarjtT1zdp7dc']);
  });

  it('JWTs (three base64url parts, header and payload JSON), not a lone base64 word', () => {
    detector('jwt', ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'], ['eyJhbGciOiJIUzI1NiJ9', 'eyJhbGciOiJIUzI1NiJ9.abc.def']);
  });

  it('keeps the word Bearer and removes the token after it', () => {
    assert.equal(r('Authorization: Bearer abcdef0123456789ABCDEF.xyz'), 'Authorization: Bearer [REDACTED:bearer]');
    assert.equal(r('the bearer of bad news'), 'the bearer of bad news');
    assert.equal(r('Bearer short'), 'Bearer short');
  });

  it('credential assignments in any case, keeping the label', () => {
    assert.equal(r('PASSWORD=hunter22'), 'PASSWORD=[REDACTED:credential]');
    assert.equal(r('db: { "api_key": "abc123def456" }'), 'db: { "api_key": "[REDACTED:credential]" }');
    assert.equal(r('client_secret: s3cr3t-value'), 'client_secret: [REDACTED:credential]');
    for (const n of ['the password is strong', 'password reset link', 'secret = 42', 'token: abc']) assert.equal(r(n), n);
  });

  it('card numbers that pass Luhn, grouped or not; not failing checksums, ids or timestamps', () => {
    detector('card', ['4111111111111111', '4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005', '6011 0009 9013 9424'], [
      '4111111111111112',
      '4111 1111-1111 1111',
      '1700000000004', // epoch milliseconds that pass Luhn
      '41111111111111111111', // 20 digits
      'order 4111111111111',
    ]);
    assert.equal(luhn('79927398713'), true);
    assert.equal(luhn('79927398710'), false);
  });

  it('phone numbers: international, North American and national formats', () => {
    detector('phone', ['+14155552671', '+1 415 555 2671', '+44 20 7946 0958', '+44 (0)20 7946 0958', '+33 6 12 34 56 78', '(415) 555-2671', '415-555-2671', '415.555.2671', '020 7946 0958', '06 12 34 56 78', '07700 900123'], []);
  });

  it('phone numbers: not plain numbers, timestamps, dates, versions or addresses', () => {
    for (const n of ['1700000000000', '4155552671', 'ticket 123456789', '2024-06-04', '2024-06-04 10:30', '12:30:45', '10.0.0.1', '192.168.100.200', 'v1.2.3', '123-45-6789', '+5 points', '3 + 4 = 7', '01.02.2024', '0.5 1.5 2.5']) {
      assert.equal(r(n), n, `should keep ${JSON.stringify(n)}`);
    }
  });

  it('counts what it removed by kind, and leaves clean text as the same string', () => {
    const counts: RedactionCounts = {};
    const out = all.text('mail ada@example.com or bob@example.org, key sk-abcdefghijklmnopqrstuvwx', counts);
    assert.equal(out, 'mail [REDACTED:email] or [REDACTED:email], key [REDACTED:openai_key]');
    assert.deepEqual(counts, { email: 2, openai_key: 1 });
    const clean = 'nothing to see here';
    assert.equal(all.text(clean), clean);
  });

  it('each detector can be turned off', () => {
    const none = new ContentRedactor({ email: false, phone: false, secrets: false, cards: false, patterns: [] });
    assert.equal(none.active, false);
    const s = 'ada@example.com +14155552671 4111111111111111 sk-abcdefghijklmnopqrstuvwx';
    assert.equal(none.text(s), s);
    const onlyCards = new ContentRedactor({ email: false, phone: false, secrets: false, cards: true, patterns: [] });
    assert.equal(onlyCards.text(s), 'ada@example.com +14155552671 [REDACTED:card] sk-abcdefghijklmnopqrstuvwx');
  });

  it('scans a long run of letters or digits in linear time', () => {
    const blob = 'A'.repeat(400_000) + '1'.repeat(400_000);
    const t0 = performance.now();
    assert.equal(r(blob), blob);
    assert.ok(performance.now() - t0 < 1_000, 'a 800 KB blob should take well under a second');
  });
});

describe('journal redaction: custom patterns', () => {
  it('replace with their own name, case-insensitively when asked', () => {
    const red = new ContentRedactor({ ...defaultRedaction(), patterns: [{ name: 'ticket', regex: String.raw`TCK-\d{6}`, ignoreCase: false }, { name: 'codename', regex: 'project (?:falcon|osprey)', ignoreCase: true }] });
    const counts: RedactionCounts = {};
    assert.equal(red.text('See TCK-123456 about Project Falcon; tck-123456 is not ours.', counts), 'See [REDACTED:ticket] about [REDACTED:codename]; tck-123456 is not ours.');
    assert.deepEqual(counts, { ticket: 1, codename: 1 });
  });

  it('a named group inside a custom pattern does not rename its kind', () => {
    const red = new ContentRedactor({ ...defaultRedaction(), patterns: [{ name: 'employee', regex: String.raw`EMP-(?<num>\d{4})`, ignoreCase: false }] });
    assert.equal(red.text('EMP-0042'), '[REDACTED:employee]');
  });

  it('are refused when invalid, empty-matching, too long or exponential', () => {
    assert.match(patternProblem('TCK-(\\d+')!, /not a valid regular expression \(.*Unterminated group\)/);
    assert.match(patternProblem('x*')!, /matches the empty string/);
    assert.match(patternProblem('a'.repeat(501))!, /longer than 500/);
    assert.match(patternProblem('(a+)+b')!, /exponential/);
    assert.match(patternProblem(String.raw`(\w*)*@`)!, /exponential/);
    assert.equal(patternProblem(String.raw`TCK-\d{6}`), undefined);
    assert.equal(patternProblem('(?:ab)+c'), undefined);
  });
});
