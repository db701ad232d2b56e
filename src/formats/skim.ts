/**
 * The shape check behind StreamDecoder.skim: a frame whose data is one JSON
 * object (first byte '{', last '}') and is not an error object. Anything else
 * is decoded for real, so a malformed frame is still caught where it matters.
 */
const ERROR_OBJECT = /^\{\s*"error"\s*:/;

export function plausibleJsonObject(data: string): boolean {
  const n = data.length;
  if (n < 2 || data.charCodeAt(0) !== 0x7b || data.charCodeAt(n - 1) !== 0x7d) return false;
  return !ERROR_OBJECT.test(data.slice(0, 24));
}
