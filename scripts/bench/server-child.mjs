/**
 * One benchmark server in its own process, so each one's CPU and peak RSS are its own:
 *   node server-child.mjs upstream [format]           the simulated OpenAI (or, with `anthropic`, Anthropic) server, no artificial delays
 *   node server-child.mjs proxy <origin>              the minimal pass-through proxy to <origin>
 *   node server-child.mjs gateway <origin> [format]   the built gateway (dist/, createGateway in this process) with one provider
 *                                                     of that type at the upstream: for scripts/bench-ab.mjs, which compares two
 *                                                     builds alike (the benchmark itself runs `switchyard serve`, see processes.mjs)
 * Reports { pid, url } to the parent over IPC; exits on a 'stop' message or when the parent goes away.
 */
import { benchConfigYaml } from './bench-config.mjs';
import { createPassthroughProxy } from './passthrough-proxy.mjs';

const dist = new URL('../../dist/', import.meta.url);
const [kind, ...rest] = process.argv.slice(2);
// `upstream` takes only the format; `proxy` and `gateway` take the upstream origin first.
const upstream = kind === 'upstream' ? undefined : rest[0];
const format = (kind === 'upstream' ? rest[0] : rest[1]) ?? 'openai';
if (format !== 'openai' && format !== 'anthropic') throw new Error(`unknown format: ${format}`);

async function start() {
  if (kind === 'upstream') {
    const { SimServer } = await import(new URL('sim/engine.js', dist).href);
    const wires = await import(new URL(`sim/${format}-wire.js`, dist).href);
    // BENCH_UPSTREAM_TTFT_MS: a provider that takes this long to answer (the overload bench); default instant.
    const ttftMs = Number(process.env.BENCH_UPSTREAM_TTFT_MS ?? 0);
    const sim = new SimServer(format === 'anthropic' ? wires.anthropicWire : wires.openaiWire, { ttftMs, chunkDelayMs: 0 });
    return { url: await sim.start(), stop: () => sim.stop() };
  }
  if (kind === 'proxy') {
    const server = createPassthroughProxy(upstream);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
  }
  if (kind === 'gateway') {
    const { createGateway } = await import(new URL('gateway/gateway.js', dist).href);
    const { parseConfigText } = await import(new URL('config/parse-config.js', dist).href);
    // Logs go to this process's stdout, which the parent points at /dev/null or a file:
    // the gateway runs at its default level (info) and pays its real logging cost.
    // BENCH_CONFIG_EXTRA: YAML appended to the bench config (journal, guard...), for A/B of a feature on and off.
    const yaml = benchConfigYaml(upstream, format) + (process.env.BENCH_CONFIG_EXTRA ? `${process.env.BENCH_CONFIG_EXTRA}\n` : '');
    const gw = await createGateway(parseConfigText(yaml, 'bench', process.env));
    // BENCH_KEY: a virtual key to create (JSON: { name, limits }); its secret goes back to the parent for the load's header.
    const key = process.env.BENCH_KEY ? await gw.context.guard.keys.create(JSON.parse(process.env.BENCH_KEY)) : undefined;
    return { url: await gw.listen(), stop: () => gw.close(), ...(key ? { authorization: `Bearer ${key.secret}` } : {}) };
  }
  throw new Error(`unknown server kind: ${kind}`);
}

const server = await start();
if (kind === 'proxy') await import('./mem-trace.mjs');
let stopping = false;
const exit = () => {
  if (stopping) return;
  stopping = true;
  // process.exit (not a signal's default action) so --cpu-prof gets to write its profile.
  const timer = setTimeout(() => process.exit(0), 1000);
  server.stop().finally(() => {
    clearTimeout(timer);
    process.exit(0);
  });
};
process.on('message', (m) => m === 'stop' && exit());
process.on('disconnect', exit);
process.on('SIGTERM', exit);
process.send({ pid: process.pid, url: server.url, ...(server.authorization ? { authorization: server.authorization } : {}) });
