/**
 * The admin key on a request: `Authorization: Bearer <guard.admin_key>`, compared in constant time
 * (digests first: timingSafeEqual needs equal lengths, and the admin key's length stays private).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export function carriesAdminKey(headers: IncomingHttpHeaders, adminKey: string): boolean {
  const auth = headers.authorization;
  if (typeof auth !== 'string' || !/^bearer\s/i.test(auth)) return false;
  const a = createHash('sha256').update(auth.slice(7).trim()).digest();
  const b = createHash('sha256').update(adminKey).digest();
  return timingSafeEqual(a, b);
}
