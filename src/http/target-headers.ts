/** Transparency headers: which target served a response and in how many attempts (noted on the scope for the access line). */
import type { RequestScope } from './context.js';
import type { AttemptRecord } from '../routing/no-target-error.js';
import type { Target } from '../routing/route-table.js';

export function targetHeaders(scope: RequestScope, target: Target | undefined, attempts: AttemptRecord[]): Record<string, string> {
  scope.attempts = attempts.length;
  const h: Record<string, string> = { 'x-request-id': scope.id, 'x-switchyard-attempts': String(attempts.length) };
  if (target) {
    scope.provider = target.provider.name;
    h['x-switchyard-provider'] = target.provider.name;
    h['x-switchyard-model'] = target.model;
  }
  // The gateway already tried other capacity: an SDK retry would only multiply load (DESIGN.md).
  if (attempts.length > 1) h['x-should-retry'] = 'false';
  return h;
}
