/**
 * What every Admission and Reservation of one Guard share: built once per Guard, referenced (not
 * copied) by each request, so a request holds one pointer to it. Two Guards share nothing.
 */
import type { Clock } from '../core/clock.js';
import { isImmediate, type ImmediateLimitStore, type LimitStore } from '../storage/limit-store.js';
import type { AdmissionControl } from './admission.js';
import type { PriceTable } from './prices.js';
import type { GuardSettings } from './settings.js';

export class GuardCore {
  private seq = 0;
  /** The limit store when it answers at once (in memory): then reserve and settle make no promise. */
  readonly immediate: ImmediateLimitStore | undefined;

  constructor(
    readonly settings: GuardSettings,
    readonly limits: LimitStore,
    readonly prices: PriceTable,
    readonly clock: Clock,
    readonly control: AdmissionControl,
    readonly onError: (err: unknown, context: string) => void,
    /** Unique per instance: reservation ids must not collide in a store shared by instances. */
    private readonly instanceId: string,
  ) {
    this.immediate = isImmediate(limits) ? limits : undefined;
  }

  nextReservationId(): string {
    return `${this.instanceId}:${++this.seq}`;
  }
}
