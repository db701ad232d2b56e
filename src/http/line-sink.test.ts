/** Log lines reach the output in order, in few writes, promptly when traffic is quiet, and all of them on exit. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { LineSink } from './line-sink.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-sink-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string) {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  return { fd, read: () => readFileSync(path, 'utf8'), close: () => closeSync(fd) };
}

/** Turn the event loop until `done()` or give up (the writes are asynchronous, never timed). */
async function until(done: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((r) => setImmediate(r));
}

test('lines are held until a chunk is full, then written in order in one go', async () => {
  const f = file('chunk.log');
  const sink = new LineSink(f.fd, { chunkBytes: 100, delayMs: 60_000 });
  sink.write('a'.repeat(40) + '\n');
  sink.write('b'.repeat(40) + '\n');
  await until(() => false, 20);
  assert.equal(f.read(), '', 'below the chunk size nothing is written yet');
  sink.write('c'.repeat(40) + '\n');
  await until(() => f.read().length === 123);
  assert.equal(f.read(), `${'a'.repeat(40)}\n${'b'.repeat(40)}\n${'c'.repeat(40)}\n`);
  f.close();
});

test('a quiet output is written after the delay, without waiting for a full chunk', async () => {
  const f = file('quiet.log');
  const sink = new LineSink(f.fd, { chunkBytes: 1 << 20, delayMs: 0 });
  sink.write('{"msg":"one"}\n');
  await until(() => f.read() !== '');
  assert.equal(f.read(), '{"msg":"one"}\n');
  f.close();
});

test('flushSync writes every pending line (process exit)', () => {
  const f = file('exit.log');
  const sink = new LineSink(f.fd, { chunkBytes: 1 << 20, delayMs: 60_000 });
  for (let i = 0; i < 1000; i++) sink.write(`line ${i}\n`);
  sink.flushSync();
  const lines = f.read().trimEnd().split('\n');
  assert.equal(lines.length, 1000);
  assert.equal(lines[999], 'line 999');
  f.close();
});

test('past the memory bound lines are dropped and counted, never buffered without limit', () => {
  const f = file('bound.log');
  const sink = new LineSink(f.fd, { chunkBytes: 1 << 20, delayMs: 60_000, maxBufferedBytes: 100 });
  let accepted = 0;
  for (let i = 0; i < 50; i++) if (sink.write('0123456789\n')) accepted++;
  assert.equal(accepted, 10);
  assert.equal(sink.dropped, 40);
  sink.flushSync();
  assert.equal(f.read().length, 110);
  f.close();
});

test('behind a reader that stalls (a full pipe), every line still arrives, in order, once it reads again', async () => {
  // `cat` copies its stdin to a stdout nobody reads yet: both pipes fill and our writes are refused or cut short.
  const cat = spawn('cat', [], { stdio: ['pipe', 'pipe', 'ignore'] });
  const fd = (cat.stdin as unknown as { _handle: { fd: number } })._handle.fd;
  const sink = new LineSink(fd, { chunkBytes: 4096, delayMs: 1 });
  try {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(40)}"}\n`);
    const expected = lines.join('');
    for (const line of lines.slice(0, 10_000)) sink.write(line);
    await until(() => false, 200);
    for (const line of lines.slice(10_000)) sink.write(line);
    assert.ok(Buffer.byteLength(expected) > 512 * 1024, 'more than two pipes hold, so the writer must have waited');
    // What waits is held as bytes, chunk by chunk, not as thousands of strings the GC would have to promote.
    assert.ok(sink.waitingPackedBytes >= 4096, `lines waiting behind the stall are packed (${sink.waitingPackedBytes} bytes)`);
    let got = '';
    cat.stdout.setEncoding('utf8').on('data', (d: string) => (got += d));
    await until(() => got.length >= expected.length, 100_000);
    assert.equal(sink.dropped, 0);
    assert.equal(got.length, expected.length);
    assert.ok(got === expected, 'lines arrive whole and in order');
  } finally {
    cat.kill();
  }
});
