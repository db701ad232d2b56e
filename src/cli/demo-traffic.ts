/**
 * DemoTraffic: a gentle background load through the demo gateway, because
 * health tracking only sees what traffic shows it — an outage nobody sends
 * requests to never reaches the status page. A few requests a second over the
 * aliases, JSON and streamed, OpenAI and Anthropic wire formats, so the page
 * has error rates, latency and a "where traffic went" chart to draw.
 * Bounded: at most `maxInFlight` requests at once (a tick is skipped beyond
 * that), each with a timeout, all aborted by stop(). Loopback only.
 */
import type { Clock, TimerHandle } from '../core/clock.js';

export interface DemoRequest {
  /** The gateway alias. */
  model: string;
  stream: boolean;
  /** Which client wire format to speak. */
  api: 'openai' | 'anthropic';
}

/**
 * `chat` (OpenAI first) carries half the load, so an outage of the simulated
 * OpenAI shows as traffic moving to Anthropic and Gemini; `claude` and `gemini`
 * keep the other providers' charts alive.
 */
export const DEMO_TRAFFIC_MIX: readonly DemoRequest[] = [
  { model: 'chat', stream: false, api: 'openai' },
  { model: 'claude', stream: true, api: 'anthropic' },
  { model: 'chat', stream: true, api: 'openai' },
  { model: 'gemini', stream: false, api: 'openai' },
  { model: 'chat', stream: false, api: 'anthropic' },
  { model: 'gemini', stream: true, api: 'openai' },
];

const PROMPTS = ['Hello!', 'Tell me a short story.', 'What is a gateway?', 'Summarise the plot of a play.', 'Write a haiku about trains.'];

export interface DemoTrafficOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:4000. */
  url: string;
  clock: Clock;
  /** Time between requests (default 400 ms: 2.5 requests a second). */
  intervalMs?: number;
  /** Most requests in flight at once (default 8). */
  maxInFlight?: number;
  /** Abort a request after this long (default 120 s, beyond the gateway's stream idle timeout). */
  timeoutMs?: number;
  mix?: readonly DemoRequest[];
}

export interface DemoTrafficStats {
  sent: number;
  /** 2xx answers read to the end. */
  ok: number;
  /** Non-2xx answers, broken bodies and timeouts. */
  failed: number;
  /** Ticks skipped because maxInFlight requests were still open. */
  skipped: number;
  /** 2xx answers by the provider that served them (x-switchyard-provider). */
  byProvider: Record<string, number>;
}

export class DemoTraffic {
  readonly stats: DemoTrafficStats = { sent: 0, ok: 0, failed: 0, skipped: 0, byProvider: {} };
  private readonly inFlight = new Set<AbortController>();
  private readonly intervalMs: number;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  private readonly mix: readonly DemoRequest[];
  private timer: TimerHandle | undefined;
  private running = false;
  private n = 0;

  constructor(private readonly opts: DemoTrafficOptions) {
    this.intervalMs = opts.intervalMs ?? 400;
    this.maxInFlight = opts.maxInFlight ?? 8;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.mix = opts.mix ?? DEMO_TRAFFIC_MIX;
    if (!(this.intervalMs > 0) || !(this.maxInFlight >= 1) || this.mix.length === 0) throw new RangeError('demo traffic needs intervalMs > 0, maxInFlight >= 1 and a non-empty mix');
  }

  get open(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stop sending and abort what is in flight (so the gateway can close without waiting for them). */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.tick();
      this.schedule();
    }, this.intervalMs);
  }

  /** Send the next request of the mix (or count a skip when too many are open). */
  tick(): void {
    if (this.inFlight.size >= this.maxInFlight) {
      this.stats.skipped++;
      return;
    }
    const req = this.mix[this.n % this.mix.length]!;
    const prompt = PROMPTS[this.n % PROMPTS.length]!;
    this.n++;
    void this.send(req, prompt);
  }

  private async send(req: DemoRequest, prompt: string): Promise<void> {
    const ctl = new AbortController();
    this.inFlight.add(ctl);
    const timeout = this.opts.clock.setTimeout(() => ctl.abort(), this.timeoutMs);
    this.stats.sent++;
    try {
      const path = req.api === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
      const body =
        req.api === 'anthropic'
          ? { model: req.model, max_tokens: 128, stream: req.stream, messages: [{ role: 'user', content: prompt }] }
          : { model: req.model, stream: req.stream, messages: [{ role: 'user', content: prompt }] };
      const res = await fetch(`${this.opts.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-demo-traffic', ...(req.api === 'anthropic' ? { 'anthropic-version': '2023-06-01' } : {}) },
        body: JSON.stringify(body),
        signal: ctl.signal,
      });
      // Read to the end: a stream counts only when it finished (a cut the gateway could not mend fails here).
      await res.arrayBuffer();
      if (res.ok) {
        this.stats.ok++;
        const p = res.headers.get('x-switchyard-provider');
        if (p) this.stats.byProvider[p] = (this.stats.byProvider[p] ?? 0) + 1;
      } else {
        this.stats.failed++;
      }
    } catch {
      // Aborted by stop() or the timeout, or the connection broke: counted, never thrown.
      this.stats.failed++;
    } finally {
      this.opts.clock.clearTimeout(timeout);
      this.inFlight.delete(ctl);
    }
  }
}
