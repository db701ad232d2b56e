/**
 * Replacing one top-level string field of a JSON text without parsing and
 * re-serialising the whole document: a same-format request goes upstream as
 * the client wrote it, with only the model changed (JSON.stringify of a parsed
 * body cost more than the rest of routing on the hot path).
 *
 * The text must already be known to be a valid JSON object (it was parsed).
 * Anything unusual gives undefined and the caller serialises instead: the key
 * absent or present twice, any top-level key written with escapes (JSON.parse
 * reads `"mod\u0065l"` as "model", so a raw byte match alone could let a
 * second, escaped key pick the upstream model), or a value that is not a string.
 */
export function replaceTopLevelString(text: string, key: string, value: string): string | undefined {
  const n = text.length;
  let depth = 0;
  let expectKey = false;
  let at = -1;
  let end = -1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const close = stringEnd(text, i);
      if (close === -1) return undefined;
      if (depth === 1 && expectKey) {
        expectKey = false;
        const keyLength = close - i - 1;
        for (let k = i + 1; k < close; k++) if (text.charCodeAt(k) === 0x5c /* \ */) return undefined;
        if (keyLength === key.length && text.startsWith(key, i + 1)) {
          if (at !== -1) return undefined;
          let v = close + 1;
          while (v < n && text.charCodeAt(v) !== 0x3a /* : */) v++;
          v++;
          while (v < n && isSpace(text.charCodeAt(v))) v++;
          if (text.charCodeAt(v) !== 0x22) return undefined;
          const valueClose = stringEnd(text, v);
          if (valueClose === -1) return undefined;
          at = v;
          end = valueClose + 1;
          i = end;
          continue;
        }
      }
      i = close + 1;
      continue;
    }
    if (c === 0x7b /* { */) {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
    else if (c === 0x2c /* , */ && depth === 1) expectKey = true;
    i++;
  }
  if (at === -1) return undefined;
  return text.slice(0, at) + JSON.stringify(value) + text.slice(end);
}

/** Index of the quote closing the string that opens at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let j = open + 1;
  for (;;) {
    j = text.indexOf('"', j);
    if (j === -1) return -1;
    let backslashes = 0;
    for (let k = j - 1; text.charCodeAt(k) === 0x5c /* \ */; k--) backslashes++;
    if (backslashes % 2 === 0) return j;
    j++;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
