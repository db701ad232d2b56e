import { keyStoreContract } from '../key-store-contract.js';
import { openKeyStore } from '../key-store.js';

keyStoreContract('memory', () => openKeyStore({ kind: 'memory' }));
