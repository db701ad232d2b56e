/**
 * The Anthropic Messages body as the clouds that serve Claude take it: the model goes in the URL,
 * not the body, and the body names the cloud's own API version in `anthropic_version`
 * (`bedrock-2023-05-31` on AWS Bedrock; `vertex-2023-10-16` on Google Vertex AI, as the Anthropic
 * SDK's bedrock-sdk and vertex-sdk packages do). Bedrock chooses streaming by the path and
 * rejects a `stream` field ("extraneous key [stream] is not permitted"); Vertex's
 * `:streamRawPredict` wants `stream: true` in the body.
 *
 * An Anthropic client's own text goes through with only those members changed, every other byte
 * as the client wrote it (`cache_control` blocks included: prompt caching keys on the exact
 * prefix), so the cloud is a different envelope, not a translation.
 */

export interface Envelope {
  /** The body's `anthropic_version`. */
  version: string;
  /** Whether a streamed call says `"stream": true` in the body (Vertex) or only in the path (Bedrock). */
  streamInBody: boolean;
}

const REPLACED = new Set(['model', 'stream', 'anthropic_version']);

/** A Messages body object in the envelope (client pass-through and canonical encodes alike). */
export function envelopeBody(body: Record<string, unknown>, env: Envelope, stream: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { anthropic_version: env.version };
  for (const [k, v] of Object.entries(body)) if (!REPLACED.has(k)) out[k] = v;
  if (stream && env.streamInBody) out.stream = true;
  return out;
}

/**
 * The client's JSON text in the envelope, its other members byte for byte. Undefined when the
 * text is unusual (a key written with escapes, or twice): the caller serialises envelopeBody.
 */
export function envelopeText(text: string, env: Envelope, stream: boolean): string | undefined {
  const members = topLevelMembers(text);
  if (!members) return undefined;
  const parts = [`"anthropic_version":${JSON.stringify(env.version)}`];
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.key)) return undefined;
    seen.add(m.key);
    if (!REPLACED.has(m.key)) parts.push(text.slice(m.start, m.end));
  }
  if (stream && env.streamInBody) parts.push('"stream":true');
  return `{${parts.join(',')}}`;
}

interface Member {
  key: string;
  /** From the key's opening quote to the end of its value. */
  start: number;
  end: number;
}

/** The top-level members of a JSON object text already known to parse; undefined for anything unusual. */
function topLevelMembers(text: string): Member[] | undefined {
  const out: Member[] = [];
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipSpace(text, i + 1);
  if (text[i] === '}') return out;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1) return undefined;
    const key = text.slice(i + 1, keyEnd);
    if (key.includes('\\')) return undefined;
    let j = skipSpace(text, keyEnd + 1);
    if (text[j] !== ':') return undefined;
    j = skipSpace(text, j + 1);
    const end = valueEnd(text, j);
    if (end === -1) return undefined;
    out.push({ key, start: i, end });
    i = skipSpace(text, end);
    if (text[i] === '}') return out;
    if (text[i] !== ',') return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** Index just past the value starting at `i`, or -1. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') {
    const e = stringEnd(text, i);
    return e === -1 ? -1 : e + 1;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') {
        j = stringEnd(text, j);
        if (j === -1) return -1;
      } else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length && text[j] !== ',' && text[j] !== '}' && !isSpace(text.charCodeAt(j))) j++;
  return j === i ? -1 : j;
}

/** Index of the quote closing the string that opens at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j;
  }
  return -1;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
