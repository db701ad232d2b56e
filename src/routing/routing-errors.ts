/** Errors the routing layer itself raises (not an upstream's answer). */
import { GatewayError } from '../core/errors.js';

export function abortedError(): GatewayError {
  return new GatewayError({ code: 'request_aborted', message: 'The client closed the request.', status: 499, kind: 'cut', retryable: false });
}

export function budgetError(): GatewayError {
  return new GatewayError({
    code: 'retry_budget_exhausted',
    message: 'not retried: the retry budget is spent (retries are capped so they cannot amplify an outage)',
    status: 503,
    kind: 'unavailable',
  });
}

export function hedgeLostError(): GatewayError {
  return new GatewayError({ code: 'hedge_lost', message: 'cancelled: another target answered first', status: 499, kind: 'cut', retryable: false });
}
