/**
 * One pass of a drill: every planned request sent at its scenario time on the drill's clock,
 * by one kind of client (through the gateway, or straight to the provider), all awaited.
 * Bounded: at most `maxInFlight` requests open at once (a request beyond that is not sent
 * and counts as failed), and every request carries its client's give-up timer.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { ClientResult } from './client-result.js';
import type { PlannedRequest } from './load-plan.js';
import type { ClientFormat } from './scenario.js';

/** Scenario time before the start in which warm-up requests go out (see warmUp). */
export const WARM_UP_MS = 120_000;

/**
 * One request of every format, streamed and not, before the scenario starts: the first
 * requests of a process pay for connections, compiled code and lazily loaded modules, which
 * belong to no phase. They carry no drill request id, so the report does not count them.
 */
export async function warmUp(send: (r: PlannedRequest) => Promise<ClientResult>, alias: string, at: number): Promise<void> {
  const formats: ClientFormat[] = ['openai-chat', 'anthropic-messages', 'openai-responses'];
  const requests = formats.flatMap((format) => [false, true].map((stream) => ({ id: -1, at, phase: 0, alias, format, stream, words: 20, prompt: 'Drill warm-up: reply with 20 words.' })));
  await Promise.all(requests.map((r) => send(r).catch(() => undefined)));
}

export interface PassOptions {
  clock: Clock;
  send(r: PlannedRequest): Promise<ClientResult>;
  maxInFlight?: number;
  /** Told each finished request (progress). */
  onResult?(r: ClientResult): void;
}

export class Pass {
  readonly results: ClientResult[] = [];
  private next = 0;
  private open = 0;
  private timer: TimerHandle | undefined;
  private finish: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly plan: readonly PlannedRequest[],
    private readonly opts: PassOptions,
  ) {}

  /** Resolves when every request has its result. */
  run(): Promise<ClientResult[]> {
    return new Promise((resolve) => {
      this.finish = () => resolve(this.results);
      this.tick();
    });
  }

  /** Send nothing more (the results so far stay; open requests end by their timers). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.maybeDone();
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.opts.clock.now();
    while (!this.stopped && this.next < this.plan.length && this.plan[this.next]!.at <= now) this.send(this.plan[this.next++]!);
    if (!this.stopped && this.next < this.plan.length) this.timer = this.opts.clock.setTimeout(() => this.tick(), this.plan[this.next]!.at - now);
    this.maybeDone();
  }

  private send(r: PlannedRequest): void {
    if (this.open >= (this.opts.maxInFlight ?? 2_000)) {
      this.done({ id: r.id, ok: false, status: 0, failure: 'not sent: too many requests open', totalMs: 0, switches: 0 });
      return;
    }
    this.open++;
    this.opts.send(r).then(
      (res) => {
        this.open--;
        this.done(res);
      },
      (e: unknown) => {
        this.open--;
        this.done({ id: r.id, ok: false, status: 0, failure: `drill client error: ${String(e)}`, totalMs: 0, switches: 0 });
      },
    );
  }

  private done(res: ClientResult): void {
    this.results[res.id] = res;
    this.opts.onResult?.(res);
    this.maybeDone();
  }

  private maybeDone(): void {
    if (this.open === 0 && (this.stopped || this.next >= this.plan.length)) {
      const f = this.finish;
      this.finish = undefined;
      f?.();
    }
  }
}
