/**
 * What every Admission and Reservation of one Guard share: built once per Guard, referenced (not
 * copied) by each request, so a request holds one pointer to it. Two Guards share nothing.
 */
import type { Clock } from '../core/clock.js';
import type { LimitStore } from '../storage/limit-store.js';
import type { AdmissionControl } from './admission.js';
import type { PriceTable } from './prices.js';
import type { GuardSettings } from './settings.js';

export class GuardCore {
  private seq = 0;

  constructor(
    readonly settings: GuardSettings,
    readonly limits: LimitStore,
    readonly prices: PriceTable,
    readonly clock: Clock,
    readonly control: AdmissionControl,
    readonly onError: (err: unknown, context: string) => void,
    /** Unique per instance: reservation ids must not collide in a store shared by instances. */
    private readonly instanceId: string,
  ) {}

  nextReservationId(): string {
    return `${this.instanceId}:${++this.seq}`;
  }
}
