/**
 * A stored exchange keeps only the messages its parent chain does not already
 * hold (types.ts, `inherited`); these functions put a conversation's turns
 * back together, for export and for previous_response_id.
 */
import type { Message } from '../core/request.js';
import { answerMessage } from './threading.js';
import type { JournalExchange } from './types.js';

export interface ThreadItem {
  message: Message;
  /** The exchange that sent this message, or whose answer it is. */
  exchangeId: string;
  /** The message is that exchange's answer. */
  answer: boolean;
}

export interface Lineage {
  items: ThreadItem[];
  /** Part of the context could not be rebuilt (deleted, or expired with an older part of the thread). */
  gap: boolean;
}

function hasAnswer(x: JournalExchange): boolean {
  return x.answer.text !== '' || x.answer.toolCalls.length > 0;
}

/** The messages of exchange `id` as its request carried them, oldest first; with its own answer when `withAnswer`. */
export function lineage(exchanges: readonly JournalExchange[], id: string, withAnswer = false): Lineage {
  const byId = new Map(exchanges.map((x) => [x.id, x]));
  const chain: JournalExchange[] = [];
  const seen = new Set<string>();
  for (let x = byId.get(id); x && !seen.has(x.id); x = x.parentId === undefined ? undefined : byId.get(x.parentId)) {
    seen.add(x.id);
    chain.push(x);
  }
  chain.reverse();
  const items: ThreadItem[] = [];
  let gap = false;
  chain.forEach((x, i) => {
    if (i === 0 && x.inherited > 0) gap = true;
    if (items.length < x.inherited && i > 0) gap = true;
    if (items.length > x.inherited) items.length = x.inherited;
    if (x.contextDeleted) gap = true;
    for (const m of x.request.messages) items.push({ message: m, exchangeId: x.id, answer: false });
    if ((i < chain.length - 1 || withAnswer) && hasAnswer(x)) items.push({ message: answerMessage(x.answer), exchangeId: x.id, answer: true });
  });
  return { items, gap };
}

/**
 * The ends of a conversation's threads: exchanges no other exchange continued, oldest first.
 * A regenerated answer is a second end beside the first. Exchanges that failed before any
 * answer are left out while another end exists (the retry that followed tells the story).
 */
export function leaves(exchanges: readonly JournalExchange[]): JournalExchange[] {
  const parents = new Set<string>();
  for (const x of exchanges) if (x.parentId !== undefined) parents.add(x.parentId);
  const ends = exchanges.filter((x) => !parents.has(x.id));
  const answered = ends.filter((x) => x.status !== 'failed');
  return answered.length > 0 ? answered : ends;
}

/** The most recent end: the thread a reader most likely wants. */
export function latestLeaf(exchanges: readonly JournalExchange[]): JournalExchange | undefined {
  let best: JournalExchange | undefined;
  for (const x of leaves(exchanges)) if (!best || x.finishedAt >= best.finishedAt) best = x;
  return best;
}
