import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from './parser.js';
import type { SkimFrame } from './parser.js';
import { encodeSseFrame } from './frame.js';

const enc = (s: string) => Buffer.from(s, 'utf8');

test('frames split across arbitrary chunk boundaries parse identically', () => {
  const wire = 'event: message_start\ndata: {"a":1}\n\n: keep-alive\n\ndata: {"b":2}\ndata: {"c":3}\n\ndata: [DONE]\n\n';
  for (let size = 1; size <= wire.length; size++) {
    const p = new SseParser();
    const frames = [];
    for (let i = 0; i < wire.length; i += size) frames.push(...p.push(enc(wire.slice(i, i + size))));
    assert.deepEqual(
      frames.map((f) => [f.event, f.data]),
      [['message_start', '{"a":1}'], [undefined, '{"b":2}\n{"c":3}'], [undefined, '[DONE]']],
      `chunk size ${size}`,
    );
  }
});

test('CRLF and CR line endings (Gemini sends CRLF)', () => {
  const p = new SseParser();
  const frames = p.push(enc('data: {"x":1}\r\n\r\ndata: {"y":2}\r\rdata: z\n\n'));
  assert.deepEqual(frames.map((f) => f.data), ['{"x":1}', '{"y":2}', 'z']);
});

test('a CR at the end of a chunk waits for a possible LF', () => {
  const p = new SseParser();
  assert.deepEqual(p.push(enc('data: a\r\n\r')), []);
  const frames = p.push(enc('\ndata: b\n\n'));
  assert.deepEqual(frames.map((f) => f.data), ['a', 'b']);
});

test('raw bytes are exactly the frame as sent, for byte-exact forwarding', () => {
  const wire = 'data: {"id":"x","choices":[]}\n\ndata: [DONE]\n\n';
  const p = new SseParser();
  const frames = p.push(enc(wire));
  assert.equal(Buffer.concat(frames.map((f) => f.raw)).toString(), wire);
});

test('multi-byte UTF-8 split between chunks is not corrupted', () => {
  const wire = enc('data: {"t":"héllo 🌍"}\n\n');
  const p = new SseParser();
  const frames = [...p.push(wire.subarray(0, 16)), ...p.push(wire.subarray(16))];
  assert.equal(JSON.parse(frames[0]!.data).t, 'héllo 🌍');
});

test('an unterminated final frame is kept pending and returned by flush()', () => {
  const p = new SseParser();
  assert.deepEqual(p.push(enc('data: partial')), []);
  assert.ok(p.pending > 0);
  assert.deepEqual(p.flush().map((f) => f.data), ['partial']);
});

test('field parsing: one leading space stripped, no-colon lines, unknown fields ignored', () => {
  const p = new SseParser();
  const [f] = p.push(enc('id: 7\nretry: 100\nevent:ping\ndata:  two spaces\n\n'));
  assert.equal(f!.event, 'ping');
  assert.equal(f!.data, ' two spaces');
});

test('encodeSseFrame writes multi-line data as several data lines', () => {
  assert.equal(encodeSseFrame('a\nb', 'x'), 'event: x\ndata: a\ndata: b\n\n');
  const [f] = new SseParser().push(enc(encodeSseFrame('a\nb', 'x')));
  assert.equal(f!.data, 'a\nb');
});

test('pushBatch returns the completed frames\' bytes as one slice, the tail waits', () => {
  const p = new SseParser();
  const b = p.pushBatch(enc('data: a\n\nevent: x\ndata: b\n\ndata: par'));
  assert.equal(b.raw.toString(), 'data: a\n\nevent: x\ndata: b\n\n');
  assert.deepEqual(b.frames.map((f) => [f.event, f.data]), [[undefined, 'a'], ['x', 'b']]);
  const c = p.pushBatch(enc('tial\n\n'));
  assert.equal(c.raw.toString(), 'data: partial\n\n');
  assert.equal(p.pending, 0);
});

test('fast and generic paths agree, including data that contains "data: "', () => {
  const p = new SseParser();
  const frames = p.push(enc('data: {"t":"data: x"}\n\nevent: e\ndata: 1\ndata: 2\n\ndata:nospace\n\n'));
  assert.deepEqual(frames.map((f) => [f.event, f.data]), [[undefined, '{"t":"data: x"}'], ['e', '1\n2'], [undefined, 'nospace']]);
});

test('skimBatch classifies complete frames on their bytes and hands back the rest from a suspect one', () => {
  const seen: string[] = [];
  const skim: SkimFrame = (buf, start, _firstLf, lines, end) => {
    const text = buf.toString('utf8', start, end);
    seen.push(`${lines}:${text}`);
    return text.includes('bad') ? 'suspect' : text.includes('END') ? 'end' : 'data';
  };
  const p = new SseParser();
  const a = p.skimBatch(Buffer.from('data: 1\n\nevent: e\ndata: 2\n\ndata: 3'), skim)!;
  assert.equal(a.raw.toString(), 'data: 1\n\nevent: e\ndata: 2\n\n');
  assert.equal(a.sawEnd, false);
  assert.equal(a.rest, undefined);
  assert.deepEqual(seen, ['1:data: 1\n\n', '2:event: e\ndata: 2\n\n']);
  const b = p.skimBatch(Buffer.from('\n\n\ndata: END\n\ndata: bad\n\ndata: 4\n\ndata: 5'), skim)!;
  assert.equal(b.raw.toString(), 'data: 3\n\n\ndata: END\n\n', 'a stray blank line stays in the bytes');
  assert.equal(b.sawEnd, true);
  assert.equal(b.rest!.toString(), 'data: bad\n\ndata: 4\n\ndata: 5');
  // The rest is parsed for real on the same parser; its unterminated tail waits as usual.
  const parsed = p.pushBatch(b.rest!);
  assert.deepEqual(parsed.frames.map((f) => f.data), ['bad', '4']);
  assert.deepEqual(p.flush().map((f) => f.data), ['5']);
});

test('skimBatch declines CR line endings without consuming anything', () => {
  const p = new SseParser();
  assert.equal(p.skimBatch(Buffer.from('data: 1\r\n\r\n'), () => 'data'), undefined);
  assert.deepEqual(p.push(Buffer.from('data: 1\r\n\r\n')).map((f) => f.data), ['1']);
});

test('a long one-line event (a streamed image) arriving in many reads: one frame, exact bytes, pending counted while it waits', () => {
  const payload = 'A'.repeat(4 * 1048576);
  const wire = enc(`data: {"image":"${payload}"}\n\ndata: [DONE]\n\n`);
  for (const skimming of [false, true]) {
    const p = new SseParser();
    const frames = [];
    let raw = Buffer.alloc(0);
    for (let i = 0; i < wire.length; i += 65536) {
      const chunk = wire.subarray(i, i + 65536);
      if (skimming) {
        const b = p.skimBatch(chunk, () => 'data');
        assert.ok(b, 'LF-only bytes are skimmed');
        raw = Buffer.concat([raw, b.raw]);
      } else {
        const b = p.pushBatch(chunk);
        frames.push(...b.frames);
        raw = Buffer.concat([raw, b.raw]);
      }
      if (i === 65536 * 10) assert.equal(p.pending, 65536 * 11, 'bytes waiting, held reads included');
    }
    assert.ok(raw.equals(wire), 'the frames\' bytes, exactly as sent');
    assert.equal(p.pending, 0);
    if (!skimming) assert.deepEqual(frames.map((f) => f.data.length), [payload.length + 12, 6]);
  }
});

test('after a trailing CR, a read with no line end still ends the frame (CR CR is a blank line)', () => {
  const p = new SseParser();
  assert.deepEqual(p.push(enc('data: a\r')), []);
  assert.deepEqual(p.push(enc('\r')), []);
  assert.deepEqual(p.push(enc('data: b')).map((f) => f.data), ['a']);
  assert.deepEqual(p.flush().map((f) => f.data), ['b']);
});
