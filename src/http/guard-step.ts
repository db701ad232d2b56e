/**
 * The guard in the request stage (issue #25): every request to the model API passes admit() before
 * its body is read — overload shedding, the virtual key, the per-address limit — and carries its
 * Admission on the scope (released when the response closes). The status page, health checks and
 * the admin API (its own key) are not the model API.
 */
import type { IncomingMessage } from 'node:http';
import type { Guard } from '../guard/guard.js';
import { carriesAdminKey } from '../guard/admin-auth.js';
import { Refusal } from '../guard/request-admission.js';
import type { RequestScope, RequestStep, StageRefusal } from './context.js';

const JOURNAL_PATHS = /^\/v1\/(conversations(\/|$)|responses\/.)/;

export class GuardStep implements RequestStep {
  constructor(private readonly guard: Guard) {}

  admit(req: IncomingMessage, scope: RequestScope): StageRefusal | undefined {
    if (!scope.path.startsWith('/v1/')) return undefined;
    // The journal's reading API takes the admin key too (every key's conversations): not a model request.
    const adminKey = this.guard.settings.adminKey;
    if (adminKey !== undefined && JOURNAL_PATHS.test(scope.path) && carriesAdminKey(req.headers, adminKey)) {
      scope.admin = true;
      return undefined;
    }
    const out = this.guard.admit({ headers: req.headers, remoteAddress: req.socket.remoteAddress });
    if (out instanceof Refusal) return out;
    scope.admission = out;
    return undefined;
  }
}
