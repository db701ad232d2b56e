/**
 * The refusals an encoder raises when its target cannot honour what the client asked for.
 * HttpProvider turns them into `notSent` errors, so the router moves on to the alias's next target
 * (nothing was sent, no retry budget spent); when none can, the client gets this 400 naming its
 * own field. Issue #24: translation never drops meaning silently.
 */
import { invalidRequest, type GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';

export function unsupportedByTarget(field: string, why: string): GatewayError {
  return invalidRequest(`${field}: ${why}`, field, 'unsupported_by_target');
}

/**
 * Refuse a request asking for output the canonical answer cannot carry back (ChatRequest.sameFormatOnly):
 * an encoder only runs when the client's format is not the target's (or for a continuation), so
 * whatever the upstream returned for these fields would be lost on the way back.
 */
export function refuseSameFormatOnly(req: ChatRequest, target: string): void {
  const field = req.sameFormatOnly?.[0];
  if (field === undefined) return;
  throw unsupportedByTarget(
    field,
    `this asks for output that only a target speaking the client's own API can return as is; ${target} can't carry it back. Remove '${field}' or route this model to such a target.`,
  );
}
