/**
 * GET /status through the real gateway on loopback: headers, the honest
 * no-source page, an injected snapshot source, a failing source, gzip and the
 * refresh parameter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { createGateway, type Gateway } from '../gateway/gateway.js';
import { createLogger } from './logger.js';
import { simGatewayConfig } from '../sim/gateway-config.js';
import { sampleSnapshot } from '../web/status/sample-snapshot.js';
import { refreshFromUrl } from './status-page.js';

// Upstreams are never contacted here: the page only reads config and the status source.
const config = simGatewayConfig({ openai: 'http://127.0.0.1:9', anthropic: 'http://127.0.0.1:9', gemini: 'http://127.0.0.1:9' });

async function withGateway(fn: (g: Gateway, url: string) => Promise<void>): Promise<void> {
  const g = await createGateway(config, { logger: createLogger('silent') });
  const url = await g.listen();
  try {
    await fn(g, url);
  } finally {
    await g.close();
  }
}

test('without a status source: 200, HTML, no-cache, every configured component with no data', async () => {
  await withGateway(async (_g, url) => {
    const r = await request(`${url}/status`);
    const html = await r.body.text();
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);
    assert.match(html, /No data yet/);
    for (const id of ['sim-openai/gpt-4o-mini', 'sim-anthropic/claude-3-5-haiku-latest', 'sim-gemini/gemini-2.0-flash', 'sim-openai/text-embedding-3-small']) {
      assert.ok(html.includes(`90-day uptime for ${id}: no data.`), id);
    }
    assert.equal(/sk-sim-FAKE|AIza-sim-FAKE/.test(html), false, 'configured keys never reach the page');
  });
});

test('with a status source: its snapshot is rendered, at the time the request came in', async () => {
  await withGateway(async (g, url) => {
    let asked = 0;
    g.context.statusSource = {
      statusSnapshot: async (now) => {
        asked = now;
        return sampleSnapshot({ now });
      },
    };
    const before = Date.now();
    const html = await (await request(`${url}/status`)).body.text();
    assert.ok(asked >= before && asked <= Date.now());
    assert.match(html, /Partial outage: 2 of 3 components affected/);
    assert.match(html, /Elevated errors on sim-openai\/gpt-4o-mini/);
  });
});

test('a failing status source still answers: 503 with an honest notice', async () => {
  await withGateway(async (g, url) => {
    g.context.statusSource = {
      statusSnapshot: () => {
        throw new Error('database is locked');
      },
    };
    const r = await request(`${url}/status`);
    const html = await r.body.text();
    assert.equal(r.statusCode, 503);
    assert.match(html, /Health data is unavailable right now/);
    assert.equal(html.includes('database is locked'), false, 'internal errors are logged, not published');
  });
});

test('gzip when accepted; refresh from the query', async () => {
  await withGateway(async (_g, url) => {
    const r = await request(`${url}/status?refresh=0`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(r.headers['content-encoding'], 'gzip');
    const html = gunzipSync(Buffer.from(await r.body.arrayBuffer())).toString();
    assert.match(html, /Automatic refresh is off/);
    assert.equal(html.includes('http-equiv="refresh"'), false);
  });
  assert.equal(refreshFromUrl('/status'), 30);
  assert.equal(refreshFromUrl('/status?refresh=1'), 5, 'clamped: no reload storm');
  assert.equal(refreshFromUrl('/status?refresh=99999'), 3600);
  assert.equal(refreshFromUrl('/status?refresh=abc'), 30);
});
