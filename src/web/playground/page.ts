/**
 * The playground (GET /playground): pick a model alias and a client format, send a prompt,
 * break a simulated provider with a click, and watch the answer stream in — which target
 * answered each part, the switch, the attempts and the time to first token. One
 * self-contained page: the status page's stylesheet plus a few rules, one inline script,
 * nothing loaded from anywhere. Names from the configuration are escaped.
 */
import { escapeHtml } from '../status/escape.js';
import { STYLES } from '../status/styles.js';
import { PLAYGROUND_SCRIPT } from './script.js';

export interface PlaygroundPageInput {
  aliases: string[];
  /** The ways a provider can be broken: ids and button labels. */
  modes: readonly { id: string; label: string }[];
  /** Simulated providers the page can break, with the mode each is in; empty under `serve`. */
  providers: { name: string; mode: string }[];
}

const PAGE_STYLES = `
form.ask{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));align-items:end}
form.ask label{display:grid;gap:.25rem;font-size:.9rem;color:var(--muted)}
form.ask .wide{grid-column:1/-1}
select,textarea,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--border);border-radius:.375rem;padding:.45rem .6rem;min-height:44px}
textarea{min-height:4.5rem;resize:vertical}
button{cursor:pointer;background:var(--card)}button[type=submit]{background:var(--link);color:#fff;border-color:var(--link);font-weight:600}
button[aria-pressed=true]{outline:2px solid var(--link);font-weight:600}
.sims{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.sims li{border:1px solid var(--border);border-radius:.5rem;padding:.5rem .75rem;display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.sims .name{font-weight:600;margin-right:.5rem}.sims .mode{color:var(--muted);margin-right:auto}
.answer{border:1px solid var(--border);border-radius:.5rem;padding:1rem;min-height:6rem;line-height:1.7;overflow-wrap:anywhere}
.seg{border-bottom:3px solid;padding-bottom:1px}
.seg.p0{border-color:#0072b2}.seg.p1{border-color:#e69f00}.seg.p2{border-color:#009e73}.seg.p3{border-color:#cc79a7}
.seg.p4{border-color:#56b4e9}.seg.p5{border-color:#d55e00}.seg.p6{border-color:#f0e442}.seg.p7{border-color:#999}
.seg{background:none!important}
.switch{display:inline-block;margin:0 .25rem;padding:0 .4rem;border-radius:.25rem;background:var(--card);border:1px dashed var(--partial);font-size:.85rem;color:var(--fg)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.75rem 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
#answer-status.good{color:var(--ok)}#answer-status.bad{color:var(--major)}#answer-status.pending{color:var(--muted)}
ol.log{font-size:.85rem;color:var(--muted)}
`.replace(/\n/g, '');

const FORMATS: [string, string][] = [
  ['openai-chat', 'OpenAI Chat Completions'],
  ['anthropic-messages', 'Anthropic Messages'],
  ['openai-responses', 'OpenAI Responses'],
];

function simList(providers: PlaygroundPageInput['providers'], modes: PlaygroundPageInput['modes']): string {
  if (providers.length === 0) {
    return '<p class="none">This gateway talks to real providers, so there is nothing here to break. Run <code>switchyard demo</code> for simulated ones.</p>';
  }
  const rows = providers.map((p) => {
    const name = escapeHtml(p.name);
    const buttons = modes.map((m) => `<button type="button" data-provider="${name}" data-mode="${escapeHtml(m.id)}" aria-pressed="${String(p.mode === m.id)}">${escapeHtml(m.label)}</button>`).join('');
    return `<li data-sim="${name}"><span class="name">${name}</span><span class="mode">${escapeHtml(p.mode)}</span>${buttons}</li>`;
  });
  return `<ul class="sims" id="sims">${rows.join('')}</ul>`;
}

export function renderPlaygroundPage(input: PlaygroundPageInput): string {
  const options = input.aliases.map((a) => `<option value="${escapeHtml(a)}">${escapeHtml(a)}</option>`).join('');
  const formats = FORMATS.map(([v, label]) => `<option value="${v}">${label}</option>`).join('');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Switchyard playground</title><link rel="icon" href="data:,"><style>${STYLES}${PAGE_STYLES}</style></head><body><div class="wrap">` +
    '<header class="top"><h1>Switchyard playground</h1><p class="updated"><a href="/status">Status page</a></p></header><main>' +
    '<p>Send a prompt through the gateway, break a provider, send it again: the answer still comes, and you see where each part of it came from.</p>' +
    '<form class="ask" id="ask">' +
    `<label>Model <select id="alias">${options}</select></label>` +
    `<label>Client format <select id="format">${formats}</select></label>` +
    '<label><span><input type="checkbox" id="stream" checked> Stream the answer</span></label>' +
    '<label class="wide">Prompt <textarea id="prompt">Tell me about switchyards, reply with 40 words.</textarea></label>' +
    '<button type="submit" id="send">Send</button></form>' +
    `<section aria-labelledby="sims-h"><h2 id="sims-h">Simulated providers</h2>${simList(input.providers, input.modes)}</section>` +
    '<section aria-labelledby="answer-h"><h2 id="answer-h">Answer <span id="answer-status" role="status"></span></h2>' +
    '<div class="answer" id="answer-text" aria-live="polite"></div><dl class="meta" id="meta"></dl><ol class="log" id="log"></ol></section>' +
    `</main></div><script>${PLAYGROUND_SCRIPT}</script></body></html>`
  );
}
