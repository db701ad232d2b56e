/**
 * One alert per event across the fleet (issue #27, "incident deduplication"). Each gateway
 * instance tracks health on its own traffic and opens its own incident, under an id of its own,
 * when a provider fails: three instances behind one load balancer see the 2024-12-11 outage within
 * seconds of each other and would page three times. Before delivering, an instance claims the
 * alert's fleet-wide key in the shared AlertClaimStore; only the winner delivers.
 *
 * The keys name the fleet's incident, not the instance's:
 * - `incident:<provider>` holds the fleet's open incident of that provider ("the episode"): the
 *   first instance to open one claims it with its own incident id, the others learn that id and
 *   deliver nothing. Every alert the fleet then sends about it carries that one id, whichever
 *   instance sends it, so a receiver can pair an open with its resolve.
 * - `incident.resolved|<episode>`: the first instance to resolve announces it and ends the episode,
 *   so the provider's next outage opens (and pages) anew.
 * - `incident.updated|<episode>|<status>|<state>|<time bucket>`: the same news about the same
 *   incident once per bucket of the send time (the update throttle's interval, so one instance's
 *   own updates, which the throttle spaces at least that far apart, never fall in one bucket);
 *   different news, or the same state in a later bucket, is delivered.
 * - `credential.parked|<provider>|<model>`: once per dedupe window, as in one process.
 *
 * When the store cannot be asked (Redis away) the instance delivers as if alone, under its own
 * incident id, and remembers that it did, so it also resolves what it announced: duplicates are
 * possible while degraded, a lost alert is not.
 */
import { randomBytes } from 'node:crypto';
import type { AlertEvent, Incident } from '../health/types.js';
import type { AlertClaimStore } from '../storage/alert-claim-store.js';

export interface FleetClaimsOptions {
  /** credential.parked and incident.updated claims hold this long (the dispatcher's dedupe window). */
  dedupeWindowMs: number;
  /** incident.updated: the same status and state sent within one bucket of this size are the same news. */
  updateBucketMs: number;
  /** How long the fleet's open incident and its resolve are remembered at most (a fleet that died mid-incident is not silenced for longer). */
  episodeTtlMs: number;
}

type IncidentEvent = Extract<AlertEvent, { incident: Incident }>;

/** Bound on remembered incident ids (one per open incident; resolved ones are forgotten). */
const MAX_EPISODES = 10_000;

export class FleetClaims {
  /** This instance's incident id -> the fleet's id for the same incident. */
  private readonly episodes = new Map<string, string>();
  private readonly token = randomBytes(6).toString('hex');
  private claims = 0;

  constructor(
    private readonly store: AlertClaimStore,
    private readonly opts: FleetClaimsOptions,
  ) {}

  /**
   * The event to deliver (an incident event under the fleet's incident id), or undefined when
   * another instance has delivered it. `now` is the send time. Rejects when the store cannot be
   * asked: then `alone`.
   */
  async claim(event: AlertEvent, now: number): Promise<AlertEvent | undefined> {
    switch (event.type) {
      case 'test':
        return event;
      case 'credential.parked':
        return (await this.won(`credential.parked|${event.provider}|${event.model ?? '*'}`, this.opts.dedupeWindowMs)) ? event : undefined;
      case 'incident.opened': {
        const episode = await this.join(event.incident);
        return episode === event.incident.id ? event : undefined;
      }
      case 'incident.updated': {
        const episode = this.episodes.get(event.incident.id) ?? (await this.join(event.incident));
        const last = event.incident.updates.at(-1);
        const news = `${last?.status ?? event.incident.status}|${last?.state ?? event.incident.impact}|${Math.floor(now / this.opts.updateBucketMs)}`;
        return (await this.won(`incident.updated|${episode}|${news}`, this.opts.dedupeWindowMs)) ? under(event, episode) : undefined;
      }
      case 'incident.resolved': {
        const episode = this.episodes.get(event.incident.id) ?? (await this.join(event.incident));
        this.episodes.delete(event.incident.id);
        if (!(await this.won(`incident.resolved|${episode}`, this.opts.episodeTtlMs))) return undefined;
        // Should the release fail, the episode ends by its time to live; the resolve is still this instance's to send.
        await this.store.release(episodeKey(event.incident), episode).catch(() => undefined);
        return under(event, episode);
      }
    }
  }

  /** Without the store: deliver as a single gateway would, under this instance's id unless the fleet's is known. */
  alone(event: AlertEvent): AlertEvent {
    if (!('incident' in event)) return event;
    const id = event.incident.id;
    const episode = this.episodes.get(id) ?? id;
    if (event.type === 'incident.resolved') this.episodes.delete(id);
    // What this instance announced under its own id, it resolves under it too.
    else this.remember(id, episode);
    return under(event, episode);
  }

  /** The fleet's incident of this provider: this one's id when it is the first, else the first one's. */
  private async join(incident: Incident): Promise<string> {
    const episode = await this.store.claim(episodeKey(incident), incident.id, this.opts.episodeTtlMs);
    this.remember(incident.id, episode);
    return episode;
  }

  private async won(key: string, ttlMs: number): Promise<boolean> {
    const mine = `${this.token}.${++this.claims}`;
    return (await this.store.claim(key, mine, ttlMs)) === mine;
  }

  private remember(id: string, episode: string): void {
    this.episodes.set(id, episode);
    if (this.episodes.size > MAX_EPISODES) this.episodes.delete(this.episodes.keys().next().value!);
  }
}

function episodeKey(incident: Incident): string {
  return `incident:${incident.provider}`;
}

function under(event: IncidentEvent, episode: string): IncidentEvent {
  return episode === event.incident.id ? event : { ...event, incident: { ...event.incident, id: episode } };
}
