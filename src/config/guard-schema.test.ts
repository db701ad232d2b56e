import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_GUARD_SETTINGS } from '../guard/settings.js';
import { ConfigError } from './config-error.js';
import { guardSettingsFor } from './guard-schema.js';
import { parseConfigText } from './parse-config.js';
import { DEFAULT_SERVER_HARDENING } from './server-hardening-schema.js';

const parse = (yaml: string, env: NodeJS.ProcessEnv = {}) => parseConfigText(yaml, 'gw.yaml', env);
function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parse(yaml, env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}
const ADMIN = 'test-admin-key-0123456789abcdef';

describe('auth: and guard: config', () => {
  it('is today\'s behaviour when absent (auth: none, no admin API), and reads the admin key from the environment', () => {
    assert.deepEqual(parse('models: []').guard, DEFAULT_GUARD_SETTINGS);
    assert.equal(parse('models: []', { SWITCHYARD_ADMIN_KEY: ADMIN }).guard?.adminKey, ADMIN);
    assert.equal(parse('guard: { admin_key: "${SWITCHYARD_ADMIN_KEY:-}" }').guard?.adminKey, undefined);
    assert.deepEqual(guardSettingsFor({}, {}), DEFAULT_GUARD_SETTINGS);
  });

  it('resolves every field, budgets in micro-dollars, prices.default apart', () => {
    const g = parse(`
auth: keys
guard:
  admin_key: \${SWITCHYARD_ADMIN_KEY}
  data_dir: /var/lib/switchyard
  key_refresh_ms: 2000
  default_limits: { requests_per_minute: 600, tokens_per_minute: "100000", budget: { usd: 0.01, period: day } }
  teams:
    research: { concurrent_requests: 20, budget: { usd: 100, period: month } }
  estimated_output_tokens: 512
  prices:
    my-finetune: { input: 3, output: 12 }
    default: { input: 1, output: 4 }
  overload: { max_event_loop_delay_ms: 150, max_in_flight: 2000 }
  priorities:
    - { name: realtime, reserved_share: 0.1 }
    - { name: interactive, reserved_share: 0.2 }
    - { name: batch }
  default_priority: interactive
  ip_limit: false
  lease_ms: 600000
`, { SWITCHYARD_ADMIN_KEY: ADMIN }).guard!;
    const { ipLimit: _off, ...rest } = DEFAULT_GUARD_SETTINGS;
    assert.deepEqual(g, {
      ...rest,
      auth: 'keys',
      adminKey: ADMIN,
      dataDir: '/var/lib/switchyard',
      keyRefreshMs: 2000,
      defaultLimits: { requestsPerMinute: 600, tokensPerMinute: 100_000, budget: { micros: 10_000, period: 'day' } },
      teams: { research: { concurrentRequests: 20, budget: { micros: 100_000_000, period: 'month' } } },
      estimatedOutputTokens: 512,
      prices: { 'my-finetune': { input: 3, output: 12 } },
      defaultPrice: { input: 1, output: 4 },
      overload: { ...DEFAULT_GUARD_SETTINGS.overload, maxEventLoopDelayMs: 150, maxInFlight: 2000 },
      priorities: [{ name: 'realtime', reservedShare: 0.1 }, { name: 'interactive', reservedShare: 0.2 }, { name: 'batch', reservedShare: 0 }],
      defaultPriority: 'interactive',
      leaseMs: 600_000,
    });
    assert.equal('ipLimit' in g, false);
    assert.deepEqual(parse('guard:\n  ip_limit: { burst: 10 }\n').guard?.ipLimit, { ...DEFAULT_GUARD_SETTINGS.ipLimit, burst: 10 });
    assert.equal(parse('guard:\n  priorities: [{ name: a, reserved_share: 0.5 }, { name: b }]\n').guard?.defaultPriority, 'a');
  });

  it('names the path and what was expected, never echoing the admin key', () => {
    assert.deepEqual(problems('auth: key\n'), ['gw.yaml: auth: expected keys (virtual keys required) or none (no authentication)']);
    const short = problems('guard: { admin_key: hunter2-secret }\n');
    assert.deepEqual(short, ['gw.yaml: guard.admin_key: too short (at least 24 characters); generate one with: openssl rand -hex 32']);
    assert.deepEqual(problems('guard:\n  overload: { max_event_loop_dealy_ms: 5 }\n'), [
      'gw.yaml: guard.overload.max_event_loop_dealy_ms: unknown key (did you mean "max_event_loop_delay_ms"?); allowed keys: max_event_loop_delay_ms, max_in_flight, max_heap_ratio, retry_after_ms, sample_interval_ms',
    ]);
    assert.match(problems('guard:\n  teams: { ml: { request_per_minute: 5 } }\n')[0]!, /guard\.teams\.ml\.request_per_minute: unknown key \(did you mean "requests_per_minute"\?\)/);
    assert.match(problems('guard:\n  default_limits: { budget: { usd: 5, period: year } }\n')[0]!, /guard\.default_limits\.budget\.period: expected one of day, week, month/);
    assert.match(problems('guard:\n  prices: { gpt-4o: { input: 1, ouput: 2 } }\n').join('\n'), /unknown key \(did you mean "output"\?\)/);
    assert.deepEqual(problems('guard:\n  priorities: [{ name: a, reserved_share: 0.6 }, { name: a, reserved_share: 0.5 }]\n'), [
      'gw.yaml: guard.priorities[1].name: duplicate priority class "a"',
      'gw.yaml: guard.priorities: reserved shares add up to 1.1; they must leave something for the lowest class (below 1)',
    ]);
    assert.deepEqual(problems('guard: { default_priority: urgent }\n'), ['gw.yaml: guard.default_priority: unknown priority class "urgent"; classes: interactive, batch']);
    assert.match(problems('guard: { gaurd: 1 }\n')[0]!, /allowed keys: admin_key, data_dir/);
  });
});

describe('server: hardening config', () => {
  it('defaults keep today\'s timeouts and add caps; values are read, strings of digits included', () => {
    assert.deepEqual(parse('models: []').server.hardening, DEFAULT_SERVER_HARDENING);
    assert.deepEqual(
      parse('server:\n  headers_timeout_ms: 20000\n  body_timeout_ms: "60000"\n  body_read_timeout_ms: 10000\n  write_timeout_ms: 5000\n  keep_alive_timeout_ms: 5000\n  max_connections: 500\n  max_messages: 200\n  max_tools: 64\n  cors: { allow_origins: ["https://app.example.com/", "*"] }\n').server.hardening,
      { headersTimeoutMs: 20_000, bodyTimeoutMs: 60_000, bodyReadTimeoutMs: 10_000, writeTimeoutMs: 5_000, keepAliveTimeoutMs: 5_000, maxConnections: 500, maxMessages: 200, maxTools: 64, corsAllowOrigins: ['https://app.example.com', '*'] },
    );
  });

  it('refuses a head timeout longer than the request timeout, and origins with paths', () => {
    assert.deepEqual(problems('server: { headers_timeout_ms: 90000, body_timeout_ms: 60000 }\n'), [
      'gw.yaml: server.headers_timeout_ms: 90000 is longer than body_timeout_ms (60000); the head is part of the request, so it must be at most that',
    ]);
    assert.deepEqual(problems('server: { body_read_timeout_ms: 120000, body_timeout_ms: 90000, headers_timeout_ms: 60000 }\n'), [
      'gw.yaml: server.body_read_timeout_ms: 120000 is longer than body_timeout_ms (90000), which would cut the request first with a bare 408; make it at most that',
    ]);
    assert.equal(parse('server: { body_timeout_ms: 20000, headers_timeout_ms: 10000 }\n').server.hardening?.bodyReadTimeoutMs, 20_000, 'the body timer follows a shorter request timeout');
    assert.match(problems('server:\n  cors: { allow_origins: ["https://app.example.com/chat"] }\n')[0]!, /server\.cors\.allow_origins\[0\]: expected an origin/);
    assert.match(problems('server:\n  cors: { allow_origin: [] }\n').join('\n'), /server\.cors\.allow_origin: unknown key \(did you mean "allow_origins"\?\); allowed keys: allow_origins/);
    assert.match(problems('server: { max_connections: 0 }\n')[0]!, /server\.max_connections: 0 is out of range/);
  });
});
