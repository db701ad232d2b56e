import { after } from 'node:test';
import { dropRedisPrefix, serviceUrl, uniqueName } from '../../test-support/services.js';
import { limitStoreContract } from '../limit-store-contract.js';
import { openLimitStore } from '../open-limit-store.js';

const url = serviceUrl('REDIS_URL');
if (url) {
  const prefix = uniqueName('prefix');
  let n = 0;
  after(() => dropRedisPrefix(url, prefix));
  limitStoreContract('redis', () => openLimitStore({ kind: 'redis', url, keyPrefix: `${prefix}${n++}:` }));
  limitStoreContract('redis, 250 ms buckets', () => openLimitStore({ kind: 'redis', url, keyPrefix: `${prefix}${n++}:`, granularityMs: 250 }));
}
