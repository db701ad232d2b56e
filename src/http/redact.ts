/**
 * Last line of defence for secrets: every error message leaving the gateway
 * (response or log) passes through here and loses any configured provider key.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | undefined>) {
    // Longest first, so a key that contains another is removed whole.
    this.secrets = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
  }

  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  }
}
