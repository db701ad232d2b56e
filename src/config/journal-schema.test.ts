import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigText } from './parse-config.js';
import { ConfigError } from './config-error.js';

const MODELS = `
providers:
  - { name: openai-main, type: openai, api_key: sk-test-FAKE }
models:
  - { name: chat, targets: [{ provider: openai-main, model: gpt-4o-mini }] }
  - { name: claude, targets: [{ provider: openai-main, model: gpt-4o }] }
`;
const parse = (yaml: string) => parseConfigText(MODELS + yaml, 'gw.yaml', {});

function problems(yaml: string): string[] {
  try {
    parse(yaml);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}

describe('journal: config', () => {
  it('is absent without the section, and off with every default when the section is empty', () => {
    assert.equal(parse('').journal, undefined);
    assert.deepEqual(parse('journal: {}\n').journal, {
      enabled: false,
      retentionDays: 30,
      redact: { email: true, phone: true, secrets: true, cards: true, patterns: [] },
      maxWaitMs: 250,
      queueMaxEntries: 10_000,
      queueMaxBytes: 64 * 1024 * 1024,
    });
  });

  it('resolves every setting, with custom patterns', () => {
    const j = parse(`journal:
  enabled: "true"
  aliases: [chat, chat]
  data_dir: /var/lib/switchyard
  retention_days: 7
  redact: { phone: false, patterns: [{ name: ticket, regex: 'TCK-\\d{6}' }, { name: codename, regex: 'falcon', ignore_case: true }] }
  max_wait_ms: 0
  queue_max_entries: 100
  queue_max_bytes: 2097152
`).journal!;
    assert.deepEqual(j, {
      enabled: true,
      aliases: ['chat'],
      dataDir: '/var/lib/switchyard',
      retentionDays: 7,
      redact: { email: true, phone: false, secrets: true, cards: true, patterns: [{ name: 'ticket', regex: 'TCK-\\d{6}', ignoreCase: false }, { name: 'codename', regex: 'falcon', ignoreCase: true }] },
      maxWaitMs: 0,
      queueMaxEntries: 100,
      queueMaxBytes: 2_097_152,
    });
  });

  it('a bad custom pattern is a precise config error naming its path', () => {
    assert.deepEqual(problems("journal:\n  redact:\n    patterns:\n      - { name: ticket, regex: 'TCK-(\\d+' }\n"), [
      'gw.yaml: journal.redact.patterns[0].regex: the pattern is not a valid regular expression (/TCK-(\\d+/g: Unterminated group)',
    ]);
    assert.deepEqual(problems("journal:\n  redact: { patterns: [{ name: any, regex: '.*' }, { name: slow, regex: '(a+)+$' }] }\n"), [
      'gw.yaml: journal.redact.patterns[0].regex: the pattern matches the empty string, so it would redact between every character; make it match at least one character',
      'gw.yaml: journal.redact.patterns[1].regex: the pattern repeats a group that itself ends in a repetition (like (a+)+), which can take exponential time; rewrite it without the nesting',
    ]);
    assert.deepEqual(problems("journal:\n  redact: { patterns: [{ name: 'has space', regex: x }] }\n"), ['gw.yaml: journal.redact.patterns[0].name: may only contain letters, digits, "_", "." and "-"']);
  });

  it('unknown keys and unknown aliases get a did-you-mean', () => {
    assert.deepEqual(problems('journal: { enable: true }\n'), [
      'gw.yaml: journal.enable: unknown key (did you mean "enabled"?); allowed keys: enabled, aliases, data_dir, retention_days, redact, max_wait_ms, queue_max_entries, queue_max_bytes, store, postgres_url, database_url',
    ]);
    assert.deepEqual(problems('journal: { redact: { emails: false } }\n'), ['gw.yaml: journal.redact.emails: unknown key (did you mean "email"?); allowed keys: email, phone, secrets, cards, patterns']);
    assert.deepEqual(problems('journal: { redact: { patterns: [{ name: a, regex: b, flags: i }] } }\n'), ['gw.yaml: journal.redact.patterns[0].flags: unknown key; allowed keys: name, regex, ignore_case']);
    assert.deepEqual(problems('journal: { aliases: [chat, claud] }\n'), ['gw.yaml: journal.aliases[1]: unknown model "claud" (did you mean "claude"?); defined models: chat, claude']);
  });

  it('out-of-range numbers say what was expected', () => {
    assert.deepEqual(problems('journal: { retention_days: 0, queue_max_bytes: 10 }\n'), [
      'gw.yaml: journal.retention_days: 0 is out of range; expected whole days from 1 to 3650',
      'gw.yaml: journal.queue_max_bytes: 10 is out of range; expected a whole number of bytes, at least 1048576 (1 MiB)',
    ]);
  });
});
