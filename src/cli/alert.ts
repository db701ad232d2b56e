/**
 * `switchyard alert test [--config F] [--name N]`: send a test alert to every
 * configured target (or one) and say, per target, whether it arrived. One
 * attempt each, so a misconfigured URL is reported now rather than retried;
 * URLs are shown masked (they carry tokens) and header values never.
 */
import { deliverOnce } from '../alerts/deliver.js';
import { createHttpAlertSender } from '../alerts/http-sender.js';
import { maskUrl } from '../alerts/mask-url.js';
import type { AlertSender } from '../alerts/types.js';
import { loadConfig } from '../config/load-config.js';
import { suggestion } from '../config/did-you-mean.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CliIo } from './io.js';

export const ALERT_OPTIONS = {
  config: { type: 'string', short: 'c' },
  name: { type: 'string', short: 'n' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const ALERT_TEST_TIMEOUT_MS = 10_000;

export async function runAlert(args: string[], io: CliIo, given?: AlertSender): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub.startsWith('-')) throw new UsageError('switchyard alert: missing subcommand; expected "test"', 'alert');
  if (sub !== 'test') throw new UsageError(`switchyard alert: unknown subcommand "${sub}"${suggestion(sub, ['test'])}; expected "test"`, 'alert');
  const values = parseCommandArgs('alert', rest, ALERT_OPTIONS);
  const config = loadConfig({ path: values.config, env: io.env, cwd: io.cwd });
  const all = config.alerts ?? [];
  if (all.length === 0) {
    io.stderr.write(`No alert targets in ${config.source}: add an \`alerts:\` section, e.g.\n  alerts:\n    - { name: ops, type: slack, url: "\${SLACK_WEBHOOK_URL}" }\n`);
    return 1;
  }
  const targets = values.name === undefined ? all : all.filter((t) => t.name === values.name);
  if (targets.length === 0) {
    const names = all.map((t) => t.name);
    io.stderr.write(`No alert target named "${values.name}"${suggestion(values.name ?? '', names)}; configured: ${names.join(', ')}\n`);
    return 1;
  }

  const own = given ? undefined : createHttpAlertSender();
  const send = given ?? own!;
  const now = Date.now();
  const ctx = { now, ...(config.server.publicUrl ? { statusUrl: `${config.server.publicUrl}/status` } : {}) };
  io.stdout.write(`Sending a test alert to ${targets.length} target${targets.length > 1 ? 's' : ''}:\n`);
  try {
    const results = await Promise.all(
      targets.map((t) =>
        deliverOnce(t, { type: 'test', message: `Test alert from Switchyard to "${t.name}": if you can read this, alerts reach this channel.` }, ctx, send, ALERT_TEST_TIMEOUT_MS),
      ),
    );
    const width = Math.max(...targets.map((t) => t.name.length));
    let failed = 0;
    targets.forEach((t, i) => {
      const r = results[i]!;
      const where = `${t.name.padEnd(width)}  ${t.type.padEnd(7)}  ${maskUrl(t.url)}`;
      if (r.ok) {
        io.stdout.write(`  ${where}  delivered (HTTP ${r.status})\n`);
      } else {
        failed++;
        io.stdout.write(`  ${where}  failed: ${r.reason ?? 'unknown error'}${hint(r.status)}\n`);
      }
    });
    if (failed > 0) io.stdout.write(`${failed} of ${targets.length} failed.\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    await own?.close();
  }
}

/** What a failing status usually means for a webhook URL. */
function hint(status: number | undefined): string {
  if (status === 401 || status === 403) return ' (the receiver refused the credentials: check the headers/token)';
  if (status === 404 || status === 410) return ' (the webhook does not exist or was revoked: check the URL)';
  if (status === 400) return ' (the receiver rejected the body: is the target type right?)';
  if (status === 429) return ' (rate limited by the receiver)';
  return '';
}
