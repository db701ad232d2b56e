import { breakerStoreContract } from '../breaker-store-contract.js';
import { MemoryBreakerStore } from './memory-breaker-store.js';

breakerStoreContract('memory', () => new MemoryBreakerStore());
