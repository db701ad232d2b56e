/**
 * Where the status page and its JSON get a snapshot from. The health tracker
 * implements it; the HTTP layer only needs this one method, so the page can
 * be served (and tested) against any source, including none at all.
 */
import type { StatusSnapshot } from './types.js';

export interface StatusSource {
  statusSnapshot(now: number): StatusSnapshot | Promise<StatusSnapshot>;
}
