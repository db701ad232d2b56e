import { journalStoreContract } from '../journal-store-contract.js';
import { openJournalStore } from '../open-journal-store.js';

journalStoreContract('memory', () => openJournalStore({ kind: 'memory' }));
