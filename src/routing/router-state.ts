/**
 * The router's state, in narrow stores (DESIGN.md, "State that outlives a request"): parkings,
 * breaker records and retry-budget counts, in memory for one instance or shared (Redis) across
 * instances. Target states are made from the configuration, in its order: when two aliases share a
 * target, the first alias that lists it sets that target's breaker and limiter (documented in
 * docs/configuration.md; `switchyard check` says when aliases disagree), not the first request.
 */
import type { Clock } from '../core/clock.js';
import type { BreakerStore } from '../storage/breaker-store.js';
import type { CooldownStore } from '../storage/cooldown-store.js';
import type { CounterStore } from '../storage/counter-store.js';
import { MemoryBreakerStore } from '../storage/memory/memory-breaker-store.js';
import { MemoryCooldownStore } from '../storage/memory/memory-cooldown-store.js';
import { MemoryCounterStore } from '../storage/memory/memory-counter-store.js';
import { DEFAULT_POLICY, type RoutePolicy } from './policy.js';
import { RetryBudget } from './retry-budget.js';
import type { Route, Target } from './route-table.js';
import { TargetState } from './target-state.js';

export interface RouterStores {
  cooldowns: CooldownStore;
  breakers: BreakerStore;
  counters: CounterStore;
}

export function memoryRouterStores(): RouterStores {
  return { cooldowns: new MemoryCooldownStore(), breakers: new MemoryBreakerStore(), counters: new MemoryCounterStore() };
}

export class RouterState {
  private readonly targets = new Map<string, TargetState>();
  private readonly budgets = new Map<string, RetryBudget>();

  constructor(
    private readonly clock: Clock,
    readonly stores: RouterStores,
    private readonly random: () => number,
    /** The configured routes, in order: their targets' states are made now, the first listing alias's policy deciding. */
    routes: readonly Route[] = [],
  ) {
    for (const r of routes) for (const t of r.targets) this.target(t, r.policy ?? DEFAULT_POLICY);
  }

  get cooldowns(): CooldownStore {
    return this.stores.cooldowns;
  }

  /** A target's state; a target the configuration did not list (tests) is made with `policy`. */
  target(t: Target, policy: RoutePolicy = DEFAULT_POLICY): TargetState {
    let s = this.targets.get(t.label);
    if (!s) {
      const breakers = this.stores.breakers;
      const label = t.label;
      this.targets.set(label, (s = new TargetState(this.clock, policy, this.random, breakers.record(label), () => breakers.changed(label))));
    }
    return s;
  }

  budget(route: Route, policy: RoutePolicy): RetryBudget {
    let b = this.budgets.get(route.alias);
    if (!b) {
      const opts = { ratio: policy.budgetRatio, floorPerSecond: policy.budgetFloorPerSecond };
      this.budgets.set(route.alias, (b = new RetryBudget(this.clock, opts, this.stores.counters, `budget:${route.alias}`)));
    }
    return b;
  }
}
