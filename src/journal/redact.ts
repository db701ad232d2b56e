/**
 * Redaction of everything the journal stores (issue #26, privacy): the text of
 * messages, answers, tool arguments and results. Each match becomes
 * `[REDACTED:<kind>]`; a named group `keep` (a label such as `Bearer ` or
 * `password=`) stays, so the text still reads. Order matters: secrets before
 * e-mail addresses (a token can hold an @), cards before phone numbers (a card
 * grouped by spaces looks like one).
 */
import { CARD, CREDENTIALS, EMAIL, PHONE, SECRETS, type Detector } from './detectors.js';
import type { RedactionConfig } from './journal-config.js';

/** How many of each kind were removed, for the stored record. */
export type RedactionCounts = Record<string, number>;

export class ContentRedactor {
  private readonly detectors: Detector[] = [];

  constructor(config: RedactionConfig) {
    if (config.secrets) this.detectors.push(SECRETS, CREDENTIALS);
    if (config.email) this.detectors.push(EMAIL);
    if (config.cards) this.detectors.push(CARD);
    if (config.phone) this.detectors.push(PHONE);
    // Compiled again here (checked at config load): a RegExp does not cross into the writer's thread.
    for (const p of config.patterns) this.detectors.push({ kind: p.name, re: new RegExp(p.regex, p.ignoreCase ? 'gi' : 'g') });
  }

  get active(): boolean {
    return this.detectors.length > 0;
  }

  text(input: string, counts?: RedactionCounts): string {
    let out = input;
    for (const d of this.detectors) {
      d.re.lastIndex = 0;
      if (!d.re.test(out)) continue;
      d.re.lastIndex = 0;
      out = out.replace(d.re, (...args: unknown[]) => {
        const match = args[0] as string;
        if (d.accept && !d.accept(match)) return match;
        const groups = args[args.length - 1];
        const named = typeof groups === 'object' && groups !== null ? (groups as Record<string, string | undefined>) : undefined;
        const kind = (d.kindFromGroup && named && kindOf(named)) || d.kind;
        if (counts) counts[kind] = (counts[kind] ?? 0) + 1;
        return `${named?.keep ?? ''}[REDACTED:${kind}]`;
      });
    }
    return out;
  }
}

/** The named group that matched, other than `keep` (secrets name their kind this way). */
function kindOf(groups: Record<string, string | undefined>): string | undefined {
  for (const k in groups) if (k !== 'keep' && groups[k] !== undefined) return k;
  return undefined;
}
