/**
 * Switchyard-detected incidents: one open incident per provider, so a vendor
 * failing on every model at once (OpenAI, 2024-12-11) is one incident with
 * several components, not a dozen. Opened when a component leaves
 * operational, updated on each state change, moved to monitoring when all its
 * components are back, resolved after they stayed operational for
 * resolveAfterMs; a relapse while monitoring reopens the same incident, which
 * is what keeps flapping from producing an incident storm.
 */
import { randomId } from '../core/ids.js';
import { stateLabel, type Transition } from './component-health.js';
import { worseState, type AlertEvent, type ComponentState, type Incident } from './types.js';

export interface IncidentBookOptions {
  resolveAfterMs: number;
  /** Called with a copy after every change (persist, alert). */
  onChange(event: AlertEvent & { incident: Incident }): void;
  newId?: () => string;
}

export class IncidentBook {
  private readonly open = new Map<string, Incident>();
  /** provider -> epoch ms since when all components of its open incident are operational. */
  private readonly calmSince = new Map<string, number>();
  private readonly newId: () => string;

  constructor(private readonly opts: IncidentBookOptions) {
    this.newId = opts.newId ?? (() => randomId('inc_', 16));
  }

  /** Adopt open incidents from storage after a restart: they resolve unless the problem shows again. */
  restore(incidents: Incident[], now: number): void {
    for (const i of incidents) {
      if (i.source !== 'switchyard' || i.resolvedAt !== undefined || this.open.has(i.provider)) continue;
      this.open.set(i.provider, i);
      this.calmSince.set(i.provider, now);
    }
  }

  openIncidents(): Incident[] {
    return [...this.open.values()].map((i) => structuredClone(i));
  }

  /** Apply a component transition. `states` gives the current state of every component of the provider. */
  onTransition(component: string, provider: string, t: Transition, errorRate: number, states: (id: string) => ComponentState): void {
    let inc = this.open.get(provider);
    const message = `${component}: ${stateLabel(t.to)} — ${t.reason}.`;
    if (!inc) {
      if (t.to === 'operational') return;
      inc = {
        id: this.newId(),
        source: 'switchyard',
        title: '',
        components: [component],
        provider,
        status: 'investigating',
        impact: t.to,
        startedAt: t.at,
        peakErrorRate: errorRate,
        updates: [{ at: t.at, status: 'investigating', state: t.to, message }],
      };
      inc.title = title(inc);
      this.open.set(provider, inc);
      this.emit('incident.opened', inc);
      return;
    }
    if (!inc.components.includes(component)) inc.components.push(component);
    inc.impact = worseState(inc.impact, t.to);
    inc.peakErrorRate = Math.max(inc.peakErrorRate, errorRate);
    inc.title = title(inc);
    const allBack = inc.components.every((c) => (c === component ? t.to : states(c)) === 'operational');
    if (allBack) this.calmSince.set(provider, t.at);
    else this.calmSince.delete(provider);
    inc.status = allBack ? 'monitoring' : 'investigating';
    inc.updates.push({ at: t.at, status: inc.status, state: worstOf(inc.components.map((c) => (c === component ? t.to : states(c)))), message: allBack ? `${message} Monitoring before resolving.` : message });
    this.emit('incident.updated', inc);
  }

  /** Track the peak error rate of an open incident (called on every evaluation). */
  observe(provider: string, errorRate: number): void {
    const inc = this.open.get(provider);
    if (inc && errorRate > inc.peakErrorRate) inc.peakErrorRate = errorRate;
  }

  /** Resolve incidents whose components have all stayed operational long enough. */
  tick(now: number, states: (id: string) => ComponentState): void {
    for (const [provider, inc] of this.open) {
      const allBack = inc.components.every((c) => states(c) === 'operational');
      if (!allBack) {
        this.calmSince.delete(provider);
        continue;
      }
      const since = this.calmSince.get(provider) ?? now;
      this.calmSince.set(provider, since);
      if (now - since < this.opts.resolveAfterMs) continue;
      inc.status = 'resolved';
      inc.resolvedAt = now;
      const minutes = Math.round((now - inc.startedAt) / 60_000);
      inc.updates.push({ at: now, status: 'resolved', state: 'operational', message: `Resolved: every affected component has been operational for ${Math.round(this.opts.resolveAfterMs / 60_000)} minutes (incident lasted ${minutes} min).` });
      this.open.delete(provider);
      this.calmSince.delete(provider);
      this.emit('incident.resolved', inc);
    }
  }

  private emit(type: 'incident.opened' | 'incident.updated' | 'incident.resolved', inc: Incident): void {
    this.opts.onChange({ type, incident: structuredClone(inc) });
  }
}

function worstOf(states: ComponentState[]): ComponentState {
  return states.reduce(worseState, 'operational');
}

function title(inc: Incident): string {
  const label = stateLabel(inc.impact);
  const what = inc.components.length <= 3 ? inc.components.join(', ') : `${inc.components.length} ${inc.provider} models`;
  return `${label[0]!.toUpperCase()}${label.slice(1)} on ${what}`;
}

