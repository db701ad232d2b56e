/**
 * The order in which a route's targets are tried: ordered (failover by
 * preference), weighted (random by weight), or least-loaded (power of two
 * choices over EWMA time to first token x in-flight requests; Mitzenmacher).
 */
import type { RoutePolicy } from './policy.js';
import type { Route, Target } from './route-table.js';
import type { TargetState } from './target-state.js';

/** The route's targets in the order to try them. The result may be the route's own array: copy it before changing it. */
export function orderTargets(route: Route, policy: RoutePolicy, states: { target(t: Target, policy: RoutePolicy): TargetState }, random: () => number): readonly Target[] {
  const targets = route.targets;
  if (targets.length < 2 || policy.strategy === 'ordered') return targets;
  if (policy.strategy === 'weighted') {
    // Efraimidis–Spirakis: sort by random^(1/weight), a weighted permutation in one pass.
    return targets
      .map((t) => ({ t, key: Math.pow(random(), 1 / Math.max(1e-6, t.weight ?? 1)) }))
      .sort((a, b) => b.key - a.key)
      .map((x) => x.t);
  }
  const i = Math.floor(random() * targets.length);
  let j = Math.floor(random() * (targets.length - 1));
  if (j >= i) j++;
  const score = (t: Target) => {
    const s = states.target(t, policy);
    return ((s.ttft.ewma ?? s.answer.ewma ?? 0) + 1) * (s.limiter.inflight + 1);
  };
  const first = score(targets[i]!) <= score(targets[j]!) ? targets[i]! : targets[j]!;
  return [first, ...targets.filter((t) => t !== first)];
}
