/**
 * A streamed answer has no Content-Length: an HTTP/1.1 client finds its end in
 * the chunked framing and keeps the connection, but a client that cannot use
 * chunks (HTTP/1.0) or asked for `Connection: close` finds it by the server
 * closing the connection. The gateway must not promise keep-alive to those.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startStack, type Stack } from '../test-support/stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

/** Send raw request bytes; resolves with everything received once the server closes the connection. */
function exchangeRaw(head: string, body: string): Promise<string> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`));
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (got += d));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

const body = JSON.stringify({ model: 'via-openai', stream: true, messages: [{ role: 'user', content: 'Hello there.' }] });

test('HTTP/1.0: the streamed answer arrives whole, unchunked, and the connection closes after it', { timeout: 10_000 }, async () => {
  const got = await exchangeRaw('POST /v1/chat/completions HTTP/1.0\r\nHost: gateway\r\nContent-Type: application/json\r\n', body);
  const [head, payload] = got.split('\r\n\r\n', 2) as [string, string];
  assert.match(head, /^HTTP\/1\.1 200/);
  assert.doesNotMatch(head, /transfer-encoding: chunked/i);
  assert.doesNotMatch(head, /connection: keep-alive/i);
  assert.match(payload, /^data: \{/);
  assert.ok(got.endsWith('data: [DONE]\n\n'), 'the answer ends with its proper end, not chunk framing');
});

test('HTTP/1.1 with Connection: close: the server closes after the streamed answer, as asked', { timeout: 10_000 }, async () => {
  const got = await exchangeRaw('POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\nContent-Type: application/json\r\n', body);
  assert.match(got, /^HTTP\/1\.1 200/);
  assert.match(got, /\r\nconnection: close\r\n/i);
  assert.match(got, /data: \[DONE\]\n\n/);
});
