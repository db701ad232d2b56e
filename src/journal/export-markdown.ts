/**
 * A conversation as Markdown, for people: its latest thread, one heading per
 * turn, each answer with the target that wrote it, and a visible mark where a
 * mid-stream resume joined two targets' text.
 */
import type { ContentPart, Message } from '../core/request.js';
import { latestLeaf, leaves, lineage } from './lineage.js';
import type { Conversation, JournalExchange } from './types.js';

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function parts(content: readonly ContentPart[]): string {
  return content.map((p) => (p.type === 'text' ? p.text : p.source.kind === 'url' ? `![image](${p.source.url})` : '[image]')).join('\n\n');
}

function toolCalls(m: Message): string {
  if (m.role !== 'assistant' || !m.toolCalls) return '';
  return m.toolCalls.map((c) => `\n\n**Tool call** \`${c.name}\` (\`${c.id}\`):\n\n\`\`\`json\n${pretty(c.arguments)}\n\`\`\``).join('');
}

function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

/** The answer's text with a note at each point where another target took over. */
function answerText(x: JournalExchange): string {
  let text = x.answer.text;
  for (const r of [...(x.resumed ?? [])].sort((a, b) => b.at - a.at)) {
    text = `${text.slice(0, r.at)}\n\n> ↪ *Resumed here on ${r.to} after ${r.from} failed mid-answer.*\n\n${text.slice(r.at)}`;
  }
  return text;
}

function answerHeading(x: JournalExchange): string {
  const last = [...x.attempts].reverse().find((a) => a.outcome !== 'failed') ?? x.attempts[x.attempts.length - 1];
  const by = last ? ` · ${last.provider}/${x.answer.model ?? last.model}` : '';
  return `## Assistant${by} · ${when(x.finishedAt)}`;
}

function statusNote(x: JournalExchange): string {
  const codes = x.attempts.map((a) => a.errorCode).filter((c) => c !== undefined);
  if (x.status === 'cut') return `\n\n> ⚠ *The answer was cut off${codes.length ? ` (${codes.join(', ')})` : ''}.*`;
  if (x.status === 'failed') return `\n\n> ⚠ *No answer${codes.length ? `: ${codes.join(', ')}` : ''}.*`;
  return '';
}

function heading(m: Message): string {
  switch (m.role) {
    case 'system':
      return '## System';
    case 'user':
      return '## User';
    case 'assistant':
      return '## Assistant';
    case 'tool':
      return `## Tool result · \`${m.toolCallId}\``;
  }
}

export function conversationMarkdown(conv: Conversation): string {
  const s = conv.summary;
  const out: string[] = [`# ${s.title}`, ''];
  out.push('| | |', '|---|---|', `| Conversation | \`${s.id}\` |`, `| Model alias | ${s.alias} |`);
  if (s.keyId !== undefined) out.push(`| Key | ${s.keyId} |`);
  out.push(`| Started | ${when(s.createdAt)} |`, `| Last activity | ${when(s.updatedAt)} |`, `| Exchanges | ${s.exchanges} |`, `| Kept until | ${when(s.expiresAt)} |`, '');

  const end = latestLeaf(conv.exchanges);
  if (!end) return `${out.join('\n')}\n`;
  const ends = leaves(conv.exchanges).length;
  if (ends > 1) out.push(`> This conversation has ${ends} threads (a regenerated answer or an edit); this is the most recent. Export it as JSON for all of them.`, '');
  const { items, gap } = lineage(conv.exchanges, end.id, false);
  if (gap) out.push('> *Earlier messages of this thread were deleted or have expired.*', '');
  if (end.request.instructions) out.push('## Instructions', '', end.request.instructions, '');
  const byId = new Map(conv.exchanges.map((x) => [x.id, x]));
  for (const item of items) {
    const x = item.answer ? byId.get(item.exchangeId) : undefined;
    if (x) out.push(answerHeading(x), '', answerText(x) + toolCalls(item.message) + statusNote(x), '');
    else out.push(heading(item.message), '', parts(item.message.content) + toolCalls(item.message), '');
  }
  out.push(answerHeading(end), '', answerText(end) + toolCalls({ role: 'assistant', content: [], toolCalls: end.answer.toolCalls }) + statusNote(end), '');
  return out.join('\n');
}
