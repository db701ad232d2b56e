/**
 * The one place a drill builds a gateway. A drill's gateway is the
 * user's configuration as `serve` would run it, on the drill's clock, with health kept in
 * memory and logs silenced; the drill reads from it the incidents its health tracking opens
 * and how many requests wait in its capacity queue.
 */
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import type { Incident } from '../health/types.js';
import { seededRandom } from '../core/random.js';
import { createLogger } from '../http/logger.js';
import { createGateway } from '../gateway/gateway.js';

export interface DrillGateway {
  url: string;
  /** Incidents opened, with their latest state (an incident's id is stable across updates). */
  incidents(): Incident[];
  /** Requests waiting for capacity right now (routing.queue). */
  queued(): number;
  close(): Promise<void>;
}

/** `seed` feeds the gateway's own randomness (backoff and breaker jitter), so a replay repeats it as far as timing allows. */
export async function startDrillGateway(config: GatewayConfig, clock: Clock, seed: number): Promise<DrillGateway> {
  const gw = await createGateway(config, { clock, random: seededRandom(seed), logger: createLogger('silent'), health: { store: 'memory' } });
  const byId = new Map<string, Incident>();
  const unsubscribe = gw.context.health?.onEvent((e) => {
    if ('incident' in e) byId.set(e.incident.id, e.incident);
  });
  const router = gw.context.router;
  let url: string;
  try {
    url = await gw.listen();
  } catch (e) {
    await gw.close();
    throw e;
  }
  return {
    url,
    incidents: () => [...byId.values()],
    queued: () => router.queued,
    async close() {
      unsubscribe?.();
      await gw.close();
    },
  };
}
