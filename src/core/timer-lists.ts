/**
 * The system clock's timers. Every request sets a few guard timers (its
 * deadline, the time to first token, idle gaps) and nearly always cancels them
 * unfired. Node's setTimeout costs a Timeout object, an async id and a native
 * clock read each, plus a closure per caller; here a timer is one small entry
 * carrying an argument instead of a closure. As in Node, timers are kept in one
 * list per duration: entries of one duration fall due in the order they were
 * set, so each list is a FIFO (set and cancel are O(1)) and one host timer per
 * list wakes at its earliest entry. A list that empties is dropped with its
 * host timer at once: durations can come from clients (X-Stainless-Timeout),
 * so idle lists must not pile up.
 */

/** What the lists need of the host: a monotonic ms clock and one-shot timers. */
export interface TimerHost {
  now(): number;
  schedule(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

/** One pending timer (the handle callers keep). */
export class TimerEntry {
  prev: TimerEntry | undefined = undefined;
  next: TimerEntry | undefined = undefined;

  constructor(
    readonly at: number,
    readonly fn: (arg: never) => void,
    readonly arg: unknown,
    /** The list holding it; undefined once it fired or was cleared. */
    public list: TimerList | undefined,
  ) {}
}

class TimerList {
  head: TimerEntry | undefined = undefined;
  tail: TimerEntry | undefined = undefined;
  /** The pending host timer (set for the head as it was then: never later than the head now). */
  armed: unknown = undefined;
  readonly fire: () => void;

  constructor(
    readonly ms: number,
    owner: TimerLists,
  ) {
    this.fire = () => owner.fire(this);
  }
}

/** Node's limit for one timer (about 24.8 days); longer waits re-arm. */
const MAX_DELAY = 2 ** 31 - 1;

export class TimerLists {
  private readonly lists = new Map<number, TimerList>();
  private count = 0;

  constructor(private readonly host: TimerHost) {}

  /** Call fn(arg) after `ms` (at least 1 ms, as Node does). */
  set<A>(fn: (arg: A) => void, ms: number, arg: A): TimerEntry {
    const d = ms >= 1 ? ms : 1;
    let list = this.lists.get(d);
    if (!list) this.lists.set(d, (list = new TimerList(d, this)));
    const e = new TimerEntry(this.host.now() + d, fn as (arg: never) => void, arg, list);
    if (list.tail) {
      list.tail.next = e;
      e.prev = list.tail;
    } else list.head = e;
    list.tail = e;
    this.count++;
    if (list.armed === undefined) this.arm(list);
    return e;
  }

  /** Cancel a timer; clearing one that fired or was cleared already does nothing. */
  clear(e: TimerEntry): void {
    const list = e.list;
    if (!list) return;
    this.unlink(list, e);
    if (list.head === undefined) this.drop(list);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.count;
  }

  /** @internal a list's host timer fired: run what is due, then wait for the next head. */
  fire(list: TimerList): void {
    list.armed = undefined;
    const now = this.host.now();
    try {
      for (let e = list.head; e !== undefined && e.at <= now; e = list.head) {
        this.unlink(list, e);
        (e.fn as (arg: unknown) => void)(e.arg);
      }
    } finally {
      if (list.head === undefined) this.drop(list);
      else if (list.armed === undefined) this.arm(list);
    }
  }

  private arm(list: TimerList): void {
    const wait = Math.ceil(list.head!.at - this.host.now());
    list.armed = this.host.schedule(list.fire, Math.min(MAX_DELAY, Math.max(1, wait)));
  }

  /** An empty list goes, with its host timer. */
  private drop(list: TimerList): void {
    if (list.armed !== undefined) this.host.cancel(list.armed);
    list.armed = undefined;
    if (this.lists.get(list.ms) === list) this.lists.delete(list.ms);
  }

  /** Durations with timers pending (diagnostics and tests). */
  get durations(): number {
    return this.lists.size;
  }

  private unlink(list: TimerList, e: TimerEntry): void {
    if (e.prev) e.prev.next = e.next;
    else list.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else list.tail = e.prev;
    e.prev = e.next = undefined;
    e.list = undefined;
    this.count--;
  }
}
