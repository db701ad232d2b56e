/** Errors the routing layer itself raises (not an upstream's answer). */
import { gatewayError, GatewayError } from '../core/errors.js';

export function budgetError(): GatewayError {
  return gatewayError('retry_budget_exhausted', 'not retried: the retry budget is spent (retries are capped so they cannot amplify an outage)');
}

export function hedgeLostError(): GatewayError {
  return gatewayError('hedge_lost', 'cancelled: another target answered first', { retryable: false });
}
