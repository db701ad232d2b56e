/** One Server-Sent Events frame as it arrived, plus its parsed fields. */
export interface SseFrame {
  /** The `event:` field, if any. */
  event?: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  /** The frame's original bytes including the terminating blank line, for byte-exact forwarding. */
  raw: Buffer;
}

/** Serialise one frame (data may contain newlines; each becomes its own data: line). */
export function encodeSseFrame(data: string, event?: string): string {
  const head = event === undefined ? '' : `event: ${event}\n`;
  if (data.indexOf('\n') === -1) return `${head}data: ${data}\n\n`;
  return `${head}${data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`;
}
