import { cooldownStoreContract } from '../cooldown-store-contract.js';
import { MemoryCooldownStore } from './memory-cooldown-store.js';

cooldownStoreContract('memory', () => new MemoryCooldownStore());
