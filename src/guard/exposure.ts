/**
 * Whether a gateway may start with its auth mode on its interface (issue #25 item 2). Anyone who
 * can reach a gateway with `auth: none` spends its provider keys, so listening beyond loopback
 * without keys must be asked for on purpose; then it starts, with a warning. A pure function:
 * start-up calls it and refuses or logs.
 */
import type { AuthMode } from './settings.js';

export type ExposureCheck = { ok: true; warning?: string } | { ok: false; error: string };

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function checkExposure(opts: { host: string; auth: AuthMode; allowUnauthenticatedPublic: boolean }): ExposureCheck {
  if (opts.auth === 'keys' || isLoopbackHost(opts.host)) return { ok: true };
  const where = `${opts.host} (${opts.host === '0.0.0.0' || opts.host === '::' ? 'every interface' : 'not loopback'})`;
  if (!opts.allowUnauthenticatedPublic) {
    return {
      ok: false,
      error:
        `Refusing to listen on ${where} with auth: none: anyone who can reach the gateway could spend its provider keys. ` +
        'Set `auth: keys` and create keys with `switchyard keys create`, or listen on 127.0.0.1, ' +
        'or, if a proxy in front already authenticates clients, set `allow_unauthenticated_public: true`.',
    };
  }
  return { ok: true, warning: `Listening on ${where} with auth: none (allow_unauthenticated_public: true): every client that reaches this address can use the gateway.` };
}
