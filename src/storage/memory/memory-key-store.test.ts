import { keyStoreContract } from '../key-store-contract.js';
import { openKeyStore } from '../open-key-store.js';

keyStoreContract('memory', () => openKeyStore({ kind: 'memory' }));
