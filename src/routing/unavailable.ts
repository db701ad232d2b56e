/** Why a target cannot take an attempt right now, as data (the router decides on `why`; people read the message). */
import { gatewayError, GatewayError } from '../core/errors.js';

export interface Unavailable {
  why: 'credential_parked' | 'waiting' | 'circuit_open' | 'probes_in_flight' | 'at_capacity';
  /** The provider's own words, where it gave a reason (quota, rate limit). */
  detail?: string;
  /** Epoch ms when it may be available again. */
  until: number;
}

const MESSAGES: Record<Unavailable['why'], string> = {
  credential_parked: 'credential parked',
  waiting: 'waiting',
  circuit_open: 'circuit open',
  probes_in_flight: 'circuit half-open, probes in flight',
  at_capacity: 'at its concurrency limit',
};

export function unavailableMessage(u: Unavailable): string {
  return u.detail === undefined ? MESSAGES[u.why] : `${MESSAGES[u.why]}: ${u.detail}`;
}

/** A target skipped because it was unavailable, as the friendly failure lists it. */
export function unavailableError(u: Unavailable): GatewayError {
  return gatewayError('target_unavailable', unavailableMessage(u));
}
