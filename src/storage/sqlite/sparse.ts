/** Sparse text for counters that are mostly zero: "3:12,4:1"; null when all are zero. */

export function encodeHist(hist: readonly number[]): string | null {
  let out = '';
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i]!;
    if (c !== 0) out += (out ? ',' : '') + i + ':' + c;
  }
  return out || null;
}

export function decodeHistInto(text: string | null, hist: number[]): number[] {
  if (!text) return hist;
  for (const part of text.split(',')) {
    const c = part.indexOf(':');
    const i = Number(part.slice(0, c));
    if (i >= 0 && i < hist.length) hist[i] = hist[i]! + Number(part.slice(c + 1));
  }
  return hist;
}

export function encodeKinds(kinds: Readonly<Record<string, number>>): string | null {
  let out = '';
  for (const [k, v] of Object.entries(kinds)) if (v !== 0) out += (out ? ',' : '') + k + ':' + v;
  return out || null;
}

export function decodeKindsInto(text: string | null, kinds: Record<string, number>): Record<string, number> {
  if (!text) return kinds;
  for (const part of text.split(',')) {
    const c = part.lastIndexOf(':');
    const k = part.slice(0, c);
    kinds[k] = (kinds[k] ?? 0) + Number(part.slice(c + 1));
  }
  return kinds;
}
