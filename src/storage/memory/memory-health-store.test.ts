import { healthStoreContract } from '../health-store-contract.js';
import { openHealthStore } from '../open-health-store.js';

healthStoreContract('memory', () => openHealthStore({ kind: 'memory' }));
