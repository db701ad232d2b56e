/**
 * The baseline: the minimal pass-through proxy a user would write in plain Node.
 * node:http server + node:http client with a keep-alive Agent; bodies are piped
 * untouched both ways (no parsing, no buffering), so it costs one extra hop and
 * nothing else. The gateway must match its throughput (issue #2).
 */
import { Agent, createServer, request } from 'node:http';

// Hop-by-hop headers must not be forwarded (RFC 9110 §7.6.1); everything else passes as is.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** A proxy server forwarding every request to `upstreamOrigin` (e.g. http://127.0.0.1:4000). */
export function createPassthroughProxy(upstreamOrigin) {
  const target = new URL(upstreamOrigin);
  // Keep-alive with no socket cap: like the gateway's undici pool, reuse connections to the upstream.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
  const server = createServer((req, res) => {
    const up = request(
      { agent, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...endToEnd(req.headers), host: target.host } },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, endToEnd(upRes.headers));
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream error"}}');
      else res.destroy();
    });
    // Client gone before the answer finished: drop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
