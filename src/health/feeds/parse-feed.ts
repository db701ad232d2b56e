/**
 * Text in, FeedResult out, for any format. Pure: no I/O, and never throws —
 * invalid JSON and unexpected shapes become a typed FeedParseError, and a bug
 * in a parser facing some new vendor quirk is caught and reported the same way.
 */
import { parseGoogleCloud } from './google-cloud.js';
import { parseIncidentIo } from './incident-io.js';
import { parseInstatus } from './instatus.js';
import { parseStatuspage } from './statuspage.js';
import { FeedParseError, type FeedFormat, type FeedResult, type ParseContext } from './types.js';

export interface FeedDocuments {
  /** The main document (the configured url). */
  text: string;
  /** Instatus only: /v2/components.json. */
  componentsText?: string;
}

export function parseFeed(format: FeedFormat, docs: FeedDocuments, ctx: ParseContext & { products?: string[] }): FeedResult {
  const main = parseJson(format, docs.text);
  if (!main.ok) return main;
  let components: unknown;
  if (docs.componentsText !== undefined) {
    const c = parseJson(format, docs.componentsText);
    if (!c.ok) return c;
    components = c.value;
  }
  try {
    switch (format) {
      case 'statuspage':
        return parseStatuspage(main.value, ctx);
      case 'incident-io':
        return parseIncidentIo(main.value, ctx);
      case 'instatus':
        return parseInstatus(main.value, components, ctx);
      case 'google-cloud':
        return parseGoogleCloud(main.value, ctx);
    }
  } catch (e) {
    return { ok: false, error: new FeedParseError(format, 'unexpected_shape', `could not read the feed (${e instanceof Error ? e.message : String(e)})`) };
  }
}

function parseJson(format: FeedFormat, text: string): { ok: true; value: unknown } | { ok: false; error: FeedParseError } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // An HTML error page or a truncated body; the first bytes say which.
    const head = text.slice(0, 40).replace(/\s+/g, ' ').trim();
    return { ok: false, error: new FeedParseError(format, 'invalid_json', `not JSON (starts with ${JSON.stringify(head)})`) };
  }
}
