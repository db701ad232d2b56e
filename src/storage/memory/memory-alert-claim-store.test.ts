import { ManualClock } from '../../core/clock.js';
import { alertClaimStoreContract } from '../alert-claim-store-contract.js';
import { MemoryAlertClaimStore } from './memory-alert-claim-store.js';

alertClaimStoreContract('memory', async () => {
  const clock = new ManualClock();
  return { store: new MemoryAlertClaimStore(clock), wait: async (ms) => clock.advance(ms) };
});
