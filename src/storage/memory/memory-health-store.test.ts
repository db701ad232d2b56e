import { healthStoreContract } from '../health-store-contract.js';
import { openHealthStore } from '../health-store.js';

healthStoreContract('memory', () => openHealthStore({ kind: 'memory' }));
