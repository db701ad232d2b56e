import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './parse-config.js';
import { resolvedStorageSecrets } from './storage-schema.js';

const ENV = { REDIS_URL: 'redis://:s3cret-redis-pw@redis:6379', DATABASE_URL: 'postgres://sy:s3cret-pg-pw@db:5432/switchyard' };
const parse = (yaml: string) => parseConfigText(yaml, 'gw.yaml', ENV);

function problems(yaml: string): string {
  try {
    parse(yaml);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('expected a ConfigError');
}

describe('storage: config (issue #27)', () => {
  it('defaults to memory and SQLite; redis and postgres are chosen with their URLs from the environment', () => {
    const none = parse('models: []');
    assert.equal(none.storage, undefined);
    assert.equal(none.status, undefined);
    const c = parse(`
storage: { state: redis, redis_url: "\${REDIS_URL}", key_prefix: "fleet-a:" }
status: { store: postgres, postgres_url: "\${DATABASE_URL}" }
journal: { enabled: true, store: postgres, database_url: "\${DATABASE_URL}" }
`);
    assert.deepEqual(c.storage, { state: 'redis', redisUrl: ENV.REDIS_URL, keyPrefix: 'fleet-a:', fallbackInstances: 2 });
    assert.equal(c.status?.store, 'postgres');
    assert.equal(c.status?.postgresUrl, ENV.DATABASE_URL);
    assert.deepEqual([c.journal?.store, c.journal?.postgresUrl], ['postgres', ENV.DATABASE_URL]);
    assert.deepEqual(parse('storage: { state: memory }').storage, { state: 'memory' });
    assert.equal(parse('status: { store: sqlite }').status?.store, 'sqlite');
    // The log redactor gets the URLs and the passwords inside them.
    const secrets = resolvedStorageSecrets(c);
    for (const s of [ENV.REDIS_URL, 's3cret-redis-pw', ENV.DATABASE_URL, 's3cret-pg-pw']) assert.ok(secrets.includes(s), s);
  });

  it('says precisely what is missing or wrong, and never echoes a URL', () => {
    const text = problems(`
storage: { state: redis }
status: { store: postgres }
journal: { store: postgres, postgres_url: "\${DATABASE_URL}", database_url: "\${DATABASE_URL}" }
`);
    assert.match(text, /storage\.redis_url: missing; state: redis needs the Redis URL/);
    assert.match(text, /status\.postgres_url: missing; store: postgres needs the database URL/);
    assert.match(text, /journal\.database_url: give postgres_url or database_url, not both/);
    const wrong = problems(`
storage: { state: rediss, redis_url: "http://user:hunter2-password@redis:6379", fallback_instances: 0 }
status: { store: mysql, postgres_url: "mysql://root:another-password@db/x" }
storage_: {}
`);
    assert.match(wrong, /storage\.state: expected memory or redis/);
    assert.match(wrong, /storage\.redis_url: expected a redis: or rediss: URL/);
    assert.match(wrong, /storage\.fallback_instances: out of range/);
    assert.match(wrong, /status\.store: expected sqlite or postgres/);
    assert.match(wrong, /status\.postgres_url: expected a postgres: or postgresql: URL/);
    assert.match(wrong, /storage_: unknown key.*storage/);
    assert.doesNotMatch(wrong, /hunter2|another-password/);
    assert.match(problems('storage: { redis: x }'), /storage\.redis: unknown key.*redis_url/);
  });
});
