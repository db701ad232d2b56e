/**
 * Webhook URLs are credentials: Slack's `https://hooks.slack.com/services/T…/B…/secret`
 * and Discord's `https://discord.com/api/webhooks/<id>/<token>` grant posting rights
 * to anyone who sees them. Anything we print or return shows the scheme and host only.
 */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/***`;
  } catch {
    return '***';
  }
}

/** Removes the URL (whole, path and query), header values and any URL-looking token from a message. */
export function scrubSecrets(text: string, url: string, headers: Record<string, string> = {}): string {
  const secrets: string[] = [url];
  try {
    const u = new URL(url);
    secrets.push(u.pathname + u.search, u.pathname, u.search);
    if (u.password) secrets.push(u.password);
    if (u.username) secrets.push(u.username);
  } catch {
    // not a URL: the whole string is already listed
  }
  for (const v of Object.values(headers)) secrets.push(v);
  let out = text;
  // Longest first so a value containing another is removed whole; tiny values would mangle prose.
  for (const s of [...new Set(secrets)].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
  }
  return out;
}
