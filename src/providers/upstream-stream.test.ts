/**
 * PushStream on its own, fed bytes the way an exchange delivers them: a
 * pass-through stream is judged on its bytes (never parsed on the happy path),
 * yet every failure is still caught and what was skimmed decodes on demand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../core/errors.js';
import type { StreamEvent } from '../core/stream-event.js';
import { openaiChat } from '../formats/openai-chat/index.js';
import type { Exchange } from './http-exchange.js';
import type { StreamChunk } from './types.js';
import { BufferPool } from './kept-bytes.js';
import { chunks as chunksOf } from '../test-support/provider-calls.js';
import { PushStream } from './upstream-stream.js';
import { SseParser } from '../sse/parser.js';

const buffers = new BufferPool();

type Consumer = { data(c: Buffer): void; end(): void; error(e: Error): void };

/** The part of an Exchange a PushStream uses; `aborted` records what it was cancelled with. */
class FakeExchange {
  consumer: Consumer | undefined;
  aborted: Error | undefined;
  consume(c: Consumer): void {
    this.consumer = c;
  }
  pause(): void {}
  resume(): void {}
  abort(e: Error): void {
    this.aborted = e;
  }
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
const STREAM = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), 'data: [DONE]\n\n'].join('');

/** A stream over a fake exchange; `decoded` counts the frames its own decoder was given (replays use fresh ones). */
function open(passthrough: boolean): { stream: PushStream; ex: FakeExchange; decoded: () => number } {
  const ex = new FakeExchange();
  let frames = 0;
  let made = 0;
  const decoders = () => {
    const decoder = openaiChat.createStreamDecoder({ provider: 'sim', model: 'm' });
    if (made++ > 0) return decoder;
    const push = decoder.push.bind(decoder);
    decoder.push = (f) => {
      frames++;
      return push(f);
    };
    return decoder;
  };
  const stream = new PushStream({ provider: 'sim', model: 'm' }, 'openai-chat', decoders, ex as unknown as Exchange, buffers, passthrough);
  return { stream, ex, decoded: () => frames };
}

const bytesOf = (chunks: StreamChunk[]) => chunks.reduce((n, c) => n + c.raw.length, 0);

/** Feed `text` in reads of `size` bytes, then the end; collect what the stream hands out. */
async function run(stream: PushStream, ex: FakeExchange, text: string, size: number): Promise<StreamChunk[]> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) ex.consumer!.data(bytes.subarray(i, i + size));
  ex.consumer!.end();
  const out: StreamChunk[] = [];
  for await (const c of chunksOf(stream)) out.push(c);
  return out;
}

/** The events of whole frames, decoded with nothing judged at their end (a cut stream's part). */
function framesOf(text: string): StreamEvent[] {
  const decoder = openaiChat.createStreamDecoder({ provider: 'sim', model: 'm' });
  return new SseParser().push(Buffer.from(text)).flatMap((f) => decoder.push(f));
}

function decodeAll(text: string): StreamEvent[] {
  const { stream, ex } = open(false);
  const bytes = Buffer.from(text);
  ex.consumer!.data(bytes);
  ex.consumer!.end();
  const events: StreamEvent[] = [];
  for (let r = stream.poll(); r && !r.done; r = stream.poll()) events.push(...r.value.events);
  return events;
}

test('a pass-through stream is forwarded byte for byte, marked at its first token, and replayed only when asked', async () => {
  for (const size of [STREAM.length, 7, 1]) {
    const { stream, ex, decoded } = open(true);
    const chunks = await run(stream, ex, STREAM, size);
    assert.equal(Buffer.concat(chunks.map((c) => c.raw)).toString(), STREAM, `reads of ${size}`);
    assert.deepEqual(chunks.flatMap((c) => c.events), []);
    assert.equal(decoded(), 0, 'no frame is decoded on the happy path, its end included');
    const first = chunks.findIndex((c) => c.token === true);
    assert.ok(first !== -1, 'the first token is marked');
    assert.ok(Buffer.concat(chunks.slice(0, first + 1).map((c) => c.raw)).toString().includes('"Hel"'));
    assert.ok(!Buffer.concat(chunks.slice(0, first).map((c) => c.raw)).toString().includes('"Hel"'));
    assert.deepEqual(stream.replay(bytesOf(chunks)), decodeAll(STREAM));
    assert.equal(ex.aborted, undefined);
  }
});

test('a stream that ended well gives its kept bytes back when disposed; one still running keeps them', async () => {
  const done = open(true);
  const chunks = await run(done.stream, done.ex, STREAM, 7);
  const before = buffers.pooledBytes;
  done.stream.dispose();
  assert.ok(buffers.pooledBytes > before, 'the buffer that kept the forwarded frames is reused by the next stream');
  assert.deepEqual(done.stream.replay(bytesOf(chunks)), [], 'nothing is left to replay');

  const running = open(true);
  const bytes = Buffer.from(STREAM);
  running.ex.consumer!.data(bytes.subarray(0, bytes.length - 20));
  const pooled = buffers.pooledBytes;
  running.stream.dispose();
  assert.equal(buffers.pooledBytes, pooled, 'a stream that has not ended keeps its bytes');
  running.ex.consumer!.error(new Error('socket hang up'));
  const got: StreamChunk[] = [];
  await assert.rejects(async () => {
    for await (const c of chunksOf(running.stream)) got.push(c);
  });
  const events = running.stream.replay(bytesOf(got));
  assert.ok(events.some((e) => e.type === 'text'), 'a stream not finished still replays what the client got, for the continuation');
});

test('frames in the same read as a malformed one are handed out before the failure; the failing frame and those after it are not (issue #22)', async () => {
  const bad = 'data: {"id":"c1","choices":[{"delta":{"content":"oops"\n\n';
  const after = chunk({ content: 'three' }) + chunk({}, 'stop') + 'data: [DONE]\n\n';
  for (const passthrough of [true, false]) {
    // The first token alone, then the rest in one read: two good frames, the bad one, more good ones.
    const { stream, ex } = open(passthrough);
    const first = chunk({ role: 'assistant', content: '' }) + chunk({ content: 'zero ' });
    ex.consumer!.data(Buffer.from(first));
    ex.consumer!.data(Buffer.from(chunk({ content: 'one ' }) + chunk({ content: 'two ' }) + bad + after));
    const got: StreamChunk[] = [];
    const err = await (async () => {
      for await (const c of chunksOf(stream)) got.push(c);
    })().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof GatewayError && err.code === 'upstream_malformed_frame', String(err));
    const text = (events: StreamEvent[]) => events.map((e) => (e.type === 'text' ? e.text : '')).join('');
    const raw = Buffer.concat(got.map((c) => c.raw)).toString();
    assert.equal(raw, first + chunk({ content: 'one ' }) + chunk({ content: 'two ' }), `passthrough=${passthrough}: every byte before the bad frame, nothing after`);
    if (passthrough) assert.equal(text(stream.replay(bytesOf(got))), 'zero one two ');
    else assert.equal(text(got.flatMap((c) => c.events)), 'zero one two ');
    assert.ok(ex.aborted, 'the upstream request is aborted');
  }
});

test('replay reads only the bytes asked for: a consumer that wrote part of what it got continues from there', async () => {
  const { stream, ex } = open(true);
  const chunks = await run(stream, ex, STREAM, STREAM.indexOf('"lo"') - 5);
  const upToHel = STREAM.indexOf('"lo"');
  const frameEnd = STREAM.lastIndexOf('\n\n', upToHel) + 2;
  const events = stream.replay(frameEnd);
  assert.deepEqual(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text), ['Hel']);
  assert.ok(chunks.length > 1);
});

test('an error event before the first token fails the stream with its decoded error, so another target can be tried', async () => {
  const text = chunk({ role: 'assistant', content: '' }) + `data: ${JSON.stringify({ error: { message: 'The server is overloaded.', type: 'server_error', code: null } })}\n\n`;
  const { stream, ex } = open(true);
  const err = await run(stream, ex, text, text.length).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof GatewayError);
  assert.match(err.message, /overloaded/);
  assert.ok(ex.aborted, 'the upstream request is aborted');
});

test('head frames the bytes cannot judge are decoded, with what was skimmed before them', async () => {
  const parts = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: [{ type: 'text', text: 'Hi' }] }, finish_reason: null }] })}\n\n`;
  const text = chunk({ role: 'assistant', content: '' }) + parts + chunk({}, 'stop') + 'data: [DONE]\n\n';
  const { stream, ex } = open(true);
  const chunks = await run(stream, ex, text, text.length);
  const events = chunks.flatMap((c) => c.events);
  assert.deepEqual(events.map((e) => e.type), ['start', 'text']);
  assert.equal(Buffer.concat(chunks.map((c) => c.raw)).toString(), text);
});

test('a stream that ends without any answer is a cut, whether skimmed or decoded', async () => {
  for (const passthrough of [true, false]) {
    // [DONE] with nothing before it, and a role frame after which the body just ends.
    for (const text of ['data: [DONE]\n\n', chunk({ role: 'assistant', content: '' })]) {
      const { stream, ex } = open(passthrough);
      const err = await run(stream, ex, text, 5).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof GatewayError && err.kind === 'cut', `passthrough=${passthrough}: ${String(err)}`);
    }
  }
});

test('a stream in another format than the client\'s is decoded from the start', async () => {
  const { stream, ex } = open(false);
  const chunks = await run(stream, ex, STREAM, 9);
  assert.deepEqual(chunks.flatMap((c) => c.events), decodeAll(STREAM));
  assert.ok(chunks.flatMap((c) => c.events).some((e) => e.type === 'text'));
});

test('a client that does not read holds at most 64 KiB of queued upstream bytes: reads pause there and resume once it drained to 16 KiB (issue #24)', () => {
  const { stream, ex } = open(true);
  let paused = 0;
  let resumed = 0;
  ex.pause = () => void paused++;
  ex.resume = () => void resumed++;
  const frame = (i: number) => chunk({ content: `${i}`.padEnd(16 * 1024 - 120, 'x') });
  // The head (up to the first token) goes first, then reads of about 16 KiB each.
  ex.consumer!.data(Buffer.from(chunk({ role: 'assistant', content: '' })));
  let sent = 0;
  while (paused === 0 && sent < 100) ex.consumer!.data(Buffer.from(frame(sent++)));
  assert.equal(paused, 1, 'reads pause on bytes, long before 64 chunks');
  assert.ok(sent <= 5, `paused after ${sent} reads of 16 KiB`);
  let queued = 0;
  for (let r = stream.poll(); r && !r.done; r = stream.poll()) {
    queued += r.value.raw.length;
    if (resumed > 0) break;
  }
  assert.equal(resumed, 1, 'reads resume once the consumer took what was queued');
  assert.ok(queued <= 80 * 1024, `at most the high-water mark and one read were queued (${queued} bytes)`);
});

test('a long pass-through stream compacted as it is written keeps only what came since, and still continues from exactly what the client got (issue #24)', () => {
  const words = (from: number, n: number) => Array.from({ length: n }, (_, i) => chunk({ content: `w${from + i} ` })).join('');
  const head = chunk({ role: 'assistant', content: '' }) + chunk({ content: 'w0 ' });
  const bad = 'data: {"id":"c1","choices":[{"delta":{"content":"oops"\n\n';
  // Reads of 20 frames each (about 2.6 KiB), then one read: good frames, a malformed one, more good ones.
  const reads = [head, ...Array.from({ length: 200 }, (_, r) => words(1 + r * 20, 20)), words(4001, 5) + bad + words(4006, 5)];
  const text = (events: readonly StreamEvent[]) => events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const COMPACT = 16 * 1024;

  /** Feed every read, taking chunks as a consumer that writes them would; the last `unwritten` chunks it took are never written. */
  const consume = (compact: boolean, unwritten: number) => {
    const { stream, ex } = open(true);
    stream.skimRest();
    const taken: StreamChunk[] = [];
    let written = 0;
    let compactedTo = 0;
    const compacted: StreamEvent[] = [];
    let maxKept = 0;
    let failure: unknown;
    for (const read of reads) {
      ex.consumer!.data(Buffer.from(read));
      try {
        for (let r = stream.poll(); r && !r.done; r = stream.poll()) taken.push(r.value);
      } catch (e) {
        failure = e;
      }
      // Written up to all but the last `unwritten` chunks taken, like a client socket lagging behind.
      written = bytesOf(taken.slice(0, Math.max(0, taken.length - unwritten)));
      if (compact && written - compactedTo >= COMPACT) {
        compacted.push(...stream.compact(written));
        compactedTo = written;
      }
      maxKept = Math.max(maxKept, stream.keptBytes);
    }
    const sent = Buffer.concat(taken.map((c) => c.raw)).subarray(0, written).toString();
    return { events: [...compacted, ...stream.replay(written)], sent, maxKept, failure, ex };
  };

  for (const unwritten of [0, 1, 3]) {
    const whole = consume(false, unwritten);
    const compacted = consume(true, unwritten);
    assert.ok(compacted.failure instanceof GatewayError && compacted.failure.code === 'upstream_malformed_frame', String(compacted.failure));
    assert.ok(compacted.ex.aborted, 'the upstream request is aborted');
    assert.equal(compacted.sent, whole.sent, 'compacting changes nothing the client is sent');
    const got = text(framesOf(compacted.sent));
    assert.ok(got.length > 20_000 && got.endsWith(' '), `the client got most of the answer (${got.length} characters)`);
    assert.equal(text(whole.events), got, `unwritten=${unwritten}: the uncompacted replay is what the client got`);
    assert.equal(text(compacted.events), got, `unwritten=${unwritten}: compacted events and the replay after them are exactly what the client got, no gap, no repetition`);
    assert.deepEqual(compacted.events.filter((e) => e.type !== 'text'), whole.events.filter((e) => e.type !== 'text'), 'the same start, once');
    assert.ok(whole.maxKept > 500_000, `without compaction every byte is kept (${whole.maxKept})`);
    assert.ok(compacted.maxKept <= COMPACT + 64 * 1024, `the kept copy stays within what came since the last compaction and the queue (${compacted.maxKept} bytes)`);
  }
});

test('a stream compacted before its end is still judged whole at its end: a cut without its proper end, complete with it, and replay goes on after the compaction', async () => {
  const body = Array.from({ length: 50 }, (_, i) => chunk({ content: `w${i} ` })).join('');
  // No [DONE] and no finish: the decoder must have seen the text to call it a cut, not an empty answer.
  for (const ending of ['', chunk({}, 'stop') + 'data: [DONE]\n\n']) {
    const { stream, ex } = open(true);
    stream.skimRest();
    ex.consumer!.data(Buffer.from(chunk({ role: 'assistant', content: '' }) + body));
    const taken: StreamChunk[] = [];
    for (let r = stream.poll(); r && !r.done; r = stream.poll()) taken.push(r.value);
    const events = stream.compact(bytesOf(taken));
    assert.equal(stream.keptBytes, 0);
    assert.equal(events.filter((e) => e.type === 'text').length, 50);
    ex.consumer!.data(Buffer.from(ending));
    ex.consumer!.end();
    const rest: StreamChunk[] = [];
    const err = await (async () => {
      for await (const c of chunksOf(stream)) rest.push(c);
    })().then(() => undefined, (e: unknown) => e);
    if (ending === '') assert.ok(err instanceof GatewayError && err.kind === 'cut', String(err));
    else {
      assert.equal(err, undefined);
      assert.deepEqual(stream.replay(bytesOf(taken) + bytesOf(rest)).map((e) => e.type), ['finish'], 'replay goes on after what was compacted');
    }
  }
});
