/** Messages between the gateway and the journal's worker thread. */
import type { JournalReader } from '../storage/journal-store.js';
import type { CapturedExchange } from './types.js';

export const READ_METHODS = ['listConversations', 'getConversation', 'getResponse', 'deleteConversation', 'deleteResponse'] as const satisfies readonly (keyof JournalReader)[];
export type ReadMethod = (typeof READ_METHODS)[number];

export type Request =
  | { id: number; op: 'ingest'; batch: CapturedExchange[] }
  | { id: number; op: 'prune'; now: number; limit: number }
  | { id: number; op: 'close' }
  | { id: number; op: 'read'; method: ReadMethod; args: unknown[] };

export type Reply =
  | { ready: true }
  | { ready: false; message: string }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string; batch?: CapturedExchange[] };

/**
 * The answer bytes of a batch, moved to the other thread rather than copied (a tenth of the cost
 * for a typical streamed exchange). Only buffers marked `own` (JournalCapture's copies) move:
 * moving any other could detach memory someone else reads, such as Node's shared Buffer pool.
 */
export function transferablesOf(batch: readonly CapturedExchange[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const rec of batch) {
    for (const a of rec.attempts) {
      const ans = a.answer;
      if (ans && (ans.kind === 'stream' || ans.kind === 'body') && ans.own && ans.bytes.buffer instanceof ArrayBuffer && ans.bytes.buffer.byteLength > 0) out.add(ans.bytes.buffer);
    }
  }
  return [...out];
}
