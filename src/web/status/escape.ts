/**
 * HTML escaping for the status page. Every string that reaches the page from
 * config, upstreams or vendor feeds (provider and model names, incident titles
 * and messages) goes through `escapeHtml`; attribute values are quoted with
 * double quotes, so escaping `"` and `'` makes them safe in attributes too
 * (OWASP XSS cheat sheet, rule #1 and #2).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/g;
const HAS_SPECIAL = /[&<>"']/;

export function escapeHtml(s: string): string {
  // Most names need no escaping: skip the replace (and its allocation) on the common path.
  return HAS_SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ENTITIES[c]!) : s;
}

/**
 * A link target from a vendor feed, or undefined when it is not plain http(s):
 * escaping alone does not stop `javascript:` URLs.
 */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? escapeHtml(u.href) : undefined;
  } catch {
    return undefined;
  }
}
