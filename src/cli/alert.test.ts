/**
 * `switchyard alert test` end to end: the real command, the real undici sender
 * and a webhook receiver on 127.0.0.1. Per target: delivered or failed with the
 * reason; the URL only by host; exit 1 when any target failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestReceiver } from '../alerts/test-receiver.js';
import { main } from './main.js';
import { testIo } from './test-io.js';

function dirWith(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-alert-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

test('alert test sends a test event to every target and reports each, without secrets', async () => {
  const ok = new TestReceiver();
  const bad = new TestReceiver().reply({ status: 404 });
  const okOrigin = await ok.start();
  const badOrigin = await bad.start();
  try {
    const yaml = `
alerts:
  - { name: ops-slack, type: slack, url: "\${SLACK_WEBHOOK_URL}", events: [incident.opened] }
  - { name: pager, type: webhook, url: "${okOrigin}/hook", headers: { Authorization: "Bearer \${HOOK_TOKEN}" } }
  - { name: old-discord, type: discord, url: "${badOrigin}/api/webhooks/1/revokedSECRETtoken" }
`;
    const io = testIo({ cwd: dirWith('gw.yaml', yaml), env: { SLACK_WEBHOOK_URL: `${okOrigin}/services/T0/B0/slackSECRETtoken`, HOOK_TOKEN: 'hookSECRET123' } });
    assert.equal(await main(['alert', 'test', '--config', 'gw.yaml'], io), 1);
    const out = io.out();
    assert.match(out, /^Sending a test alert to 3 targets:$/m);
    assert.match(out, new RegExp(`^ {2}ops-slack {4}slack {4}${okOrigin}/\\*\\*\\* {2}delivered \\(HTTP 200\\)$`, 'm'));
    assert.match(out, new RegExp(`^ {2}pager {8}webhook {2}${okOrigin}/\\*\\*\\* {2}delivered \\(HTTP 200\\)$`, 'm'));
    assert.match(out, /^ {2}old-discord {2}discord {2}\S+ {2}failed: HTTP 404 \(the webhook does not exist or was revoked: check the URL\)$/m);
    assert.match(out, /^1 of 3 failed\.$/m);
    assert.doesNotMatch(out + io.err(), /SECRET/);

    // The test event is sent even to targets filtered to other events, in each target's format.
    const slack = ok.received.find((r) => r.path.startsWith('/services/'))!.json as { text: string; blocks: unknown[] };
    assert.equal(slack.text, 'Switchyard test alert');
    const hook = ok.received.find((r) => r.path === '/hook')!;
    assert.equal(hook.headers.authorization, 'Bearer hookSECRET123');
    assert.equal((hook.json as { event: string; message: string }).event, 'test');
    assert.match((hook.json as { message: string }).message, /alerts reach this channel/);
    assert.equal((bad.received[0]!.json as { embeds: { color: number }[] }).embeds[0]!.color, 0x3498db);
  } finally {
    await ok.stop();
    await bad.stop();
  }
});

test('alert test --name sends to one target; unknown names and missing sections are explained', async () => {
  const ok = new TestReceiver();
  const origin = await ok.start();
  try {
    const cwd = dirWith('gw.yaml', `alerts:\n  - { name: pager, type: webhook, url: "${origin}/a" }\n  - { name: other, type: webhook, url: "${origin}/b" }\n`);
    const io = testIo({ cwd });
    assert.equal(await main(['alert', 'test', '-c', 'gw.yaml', '--name', 'pager'], io), 0);
    assert.deepEqual(ok.received.map((r) => r.path), ['/a']);

    const typo = testIo({ cwd });
    assert.equal(await main(['alert', 'test', '-c', 'gw.yaml', '--name', 'pagr'], typo), 1);
    assert.equal(typo.err(), 'No alert target named "pagr" (did you mean "pager"?); configured: pager, other\n');

    const none = testIo({ cwd: dirWith('gw.yaml', 'models: []\n') });
    assert.equal(await main(['alert', 'test', '-c', 'gw.yaml'], none), 1);
    assert.match(none.err(), /No alert targets in gw\.yaml: add an `alerts:` section/);
  } finally {
    await ok.stop();
  }
});

test('alert without "test" is a usage error (exit 2)', async () => {
  const io = testIo();
  assert.equal(await main(['alert'], io), 2);
  assert.match(io.err(), /^switchyard alert: missing subcommand; expected "test"\n\nUsage: switchyard alert test/);
  const typo = testIo();
  assert.equal(await main(['alert', 'tset'], typo), 2);
  assert.match(typo.err(), /unknown subcommand "tset" \(did you mean "test"\?\)/);
});
