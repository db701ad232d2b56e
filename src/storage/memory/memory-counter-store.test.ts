import { counterStoreContract } from '../counter-store-contract.js';
import { MemoryCounterStore } from './memory-counter-store.js';

counterStoreContract('memory', () => new MemoryCounterStore());
