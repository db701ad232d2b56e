/**
 * The playground page's one inline script, as text: send the prompt to the gateway in the
 * chosen client format, read the answer as it streams (fetch + ReadableStream, SSE split on
 * blank lines), and show which target answered each part — x-switchyard-provider/-model for
 * the start, the `switchyard` mark on the frame after a switch — with the attempts and the
 * time to first token. Everything received is written with textContent, never as HTML.
 */
export const PLAYGROUND_SCRIPT = String.raw`
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var form = $('ask'), textEl = $('answer-text'), metaEl = $('meta'), logEl = $('log'), statusEl = $('answer-status');

  function bodyFor(format, model, prompt, stream) {
    var messages = [{ role: 'user', content: prompt }];
    if (format === 'anthropic-messages') return { path: '/v1/messages', headers: { 'anthropic-version': '2023-06-01', 'x-api-key': 'playground' }, body: { model: model, max_tokens: 1024, stream: stream, messages: messages } };
    if (format === 'openai-responses') return { path: '/v1/responses', headers: { authorization: 'Bearer playground' }, body: { model: model, input: prompt, stream: stream } };
    return { path: '/v1/chat/completions', headers: { authorization: 'Bearer playground' }, body: { model: model, stream: stream, messages: messages } };
  }

  /** The text of one parsed frame in the client's format, and whether it ends the answer. */
  function frameText(format, type, json) {
    if (format === 'openai-chat') {
      var c = json.choices && json.choices[0];
      return { text: c && c.delta && typeof c.delta.content === 'string' ? c.delta.content : '', end: false };
    }
    if (format === 'anthropic-messages') {
      if (type === 'message_stop') return { text: '', end: true };
      return { text: type === 'content_block_delta' && json.delta && typeof json.delta.text === 'string' ? json.delta.text : '', end: false };
    }
    if (type === 'response.completed') return { text: '', end: true };
    return { text: type === 'response.output_text.delta' && typeof json.delta === 'string' ? json.delta : '', end: false };
  }

  function jsonText(format, j) {
    if (format === 'openai-chat') return (j.choices && j.choices[0] && j.choices[0].message && j.choices[0].message.content) || '';
    if (format === 'anthropic-messages') return (j.content || []).map(function (b) { return b.type === 'text' ? b.text : ''; }).join('');
    return (j.output || []).map(function (o) { return (o.content || []).map(function (c) { return c.type === 'output_text' ? c.text : ''; }).join(''); }).join('');
  }

  var colours = {};
  function colourOf(target) {
    if (!(target in colours)) colours[target] = 'p' + (Object.keys(colours).length % 8);
    return colours[target];
  }

  function segment(target) {
    var s = document.createElement('span');
    s.className = 'seg ' + colourOf(target);
    s.title = 'answered by ' + target;
    s.dataset.target = target;
    textEl.appendChild(s);
    return s;
  }

  function log(t0, what) {
    var li = document.createElement('li');
    li.textContent = Math.round(performance.now() - t0) + ' ms — ' + what;
    logEl.appendChild(li);
  }

  function meta(parts) {
    metaEl.textContent = '';
    parts.forEach(function (p) {
      var dt = document.createElement('dt'); dt.textContent = p[0];
      var dd = document.createElement('dd'); dd.textContent = p[1]; dd.id = 'meta-' + p[2];
      metaEl.appendChild(dt); metaEl.appendChild(dd);
    });
  }

  async function send(ev) {
    ev.preventDefault();
    var format = $('format').value, model = $('alias').value, prompt = $('prompt').value, stream = $('stream').checked;
    var req = bodyFor(format, model, prompt, stream);
    textEl.textContent = ''; logEl.textContent = ''; statusEl.textContent = 'sending…'; statusEl.className = 'pending';
    $('send').disabled = true;
    var t0 = performance.now(), ttft = null, switches = 0, ended = false, error = null;
    try {
      var res = await fetch(req.path, { method: 'POST', headers: Object.assign({ 'content-type': 'application/json' }, req.headers), body: JSON.stringify(req.body) });
      var first = (res.headers.get('x-switchyard-provider') || '?') + '/' + (res.headers.get('x-switchyard-model') || '?');
      var attempts = Number(res.headers.get('x-switchyard-attempts') || '1');
      log(t0, 'HTTP ' + res.status + ' from ' + first + ' after ' + attempts + (attempts === 1 ? ' attempt' : ' attempts'));
      var current = segment(first);
      if (!res.ok) {
        var errBody = await res.text();
        error = 'HTTP ' + res.status + ': ' + errBody.slice(0, 400);
      } else if (!stream) {
        current.textContent = jsonText(format, await res.json());
        ttft = performance.now() - t0; ended = true;
      } else {
        var reader = res.body.getReader(), decoder = new TextDecoder(), buf = '', target = first;
        for (;;) {
          var r = await reader.read();
          if (r.done) break;
          buf += decoder.decode(r.value, { stream: true });
          var i;
          while ((i = buf.indexOf('\n\n')) !== -1) {
            var frame = buf.slice(0, i); buf = buf.slice(i + 2);
            var type = '', data = '';
            frame.split('\n').forEach(function (line) {
              if (line.indexOf('event:') === 0) type = line.slice(6).trim();
              else if (line.indexOf('data:') === 0) data += line.slice(5).trim();
            });
            if (!data) continue;
            if (data === '[DONE]') { ended = true; continue; }
            var json; try { json = JSON.parse(data); } catch (e) { error = 'a frame that is not JSON'; continue; }
            type = type || json.type || '';
            var mark = json.switchyard;
            if (mark && mark.resumed && mark.to && mark.to !== target) {
              switches++;
              var sw = document.createElement('span');
              sw.className = 'switch';
              sw.textContent = ' ⇄ ' + mark.from + ' → ' + mark.to + ' (' + mark.reason + ') ';
              textEl.appendChild(sw);
              log(t0, 'switched from ' + mark.from + ' to ' + mark.to + ' (' + mark.reason + ')');
              target = mark.to; current = segment(target);
            }
            if (type === 'error' || (json.error && format !== 'anthropic-messages')) { error = (json.error && json.error.message) || 'error event'; continue; }
            var f = frameText(format, type, json);
            if (f.end) ended = true;
            if (f.text) {
              if (ttft === null) { ttft = performance.now() - t0; log(t0, 'first token from ' + target); }
              current.textContent += f.text;
            }
          }
        }
      }
      var total = performance.now() - t0;
      meta([['started on', first, 'first'], ['attempts', String(attempts + switches) + (switches ? ' (' + switches + ' to continue after a switch)' : ''), 'attempts'], ['time to first token', ttft === null ? '–' : Math.round(ttft) + ' ms', 'ttft'], ['total', Math.round(total) + ' ms', 'total']]);
      if (error) { statusEl.textContent = 'failed: ' + error; statusEl.className = 'bad'; }
      else if (!ended) { statusEl.textContent = 'ended without its proper end'; statusEl.className = 'bad'; }
      else { statusEl.textContent = switches ? 'complete, continued on another provider' : 'complete'; statusEl.className = 'good'; log(t0, 'answer complete'); }
    } catch (e) {
      statusEl.textContent = 'failed: ' + e; statusEl.className = 'bad';
    } finally {
      $('send').disabled = false;
    }
  }

  async function breakProvider(ev) {
    var b = ev.target.closest('button[data-mode]');
    if (!b) return;
    var res = await fetch('/playground/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: b.dataset.provider, mode: b.dataset.mode }) });
    if (res.ok) show((await res.json()).providers);
  }

  function show(providers) {
    providers.forEach(function (p) {
      var row = document.querySelector('[data-sim="' + CSS.escape(p.name) + '"]');
      if (!row) return;
      row.querySelector('.mode').textContent = p.mode;
      row.querySelectorAll('button[data-mode]').forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.mode === p.mode)); });
    });
  }

  form.addEventListener('submit', send);
  var sims = $('sims');
  if (sims) sims.addEventListener('click', breakProvider);
})();
`;
