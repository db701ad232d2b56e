/**
 * Human wording shared by every alert format, so Slack, Discord and the generic
 * webhook say the same thing about the same event.
 */
import type { AlertEvent, ComponentState, Incident } from '../../health/types.js';

export const STATE_LABEL: Record<ComponentState, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

export function headline(event: AlertEvent): string {
  switch (event.type) {
    case 'incident.opened':
      return `Incident opened: ${event.incident.title}`;
    case 'incident.updated':
      return `Incident updated: ${event.incident.title}`;
    case 'incident.resolved':
      return `Resolved: ${event.incident.title}`;
    case 'credential.parked':
      return `Credential parked: ${event.provider}${event.model ? ` / ${event.model}` : ''}`;
    case 'test':
      return 'Switchyard test alert';
  }
}

/** One or two sentences for the body of a message. */
export function summary(event: AlertEvent, now: number): string {
  switch (event.type) {
    case 'incident.opened':
    case 'incident.updated': {
      const i = event.incident;
      const last = i.updates.at(-1);
      const who = i.source === 'vendor' ? `${i.provider} reports` : `Switchyard detected`;
      return `${who} ${STATE_LABEL[i.impact].toLowerCase()} on ${i.components.join(', ') || i.provider} (${i.status}, since ${iso(i.startedAt)}).${last?.message ? ` ${last.message}` : ''}`;
    }
    case 'incident.resolved': {
      const i = event.incident;
      return `${i.components.join(', ') || i.provider} recovered after ${formatDuration(incidentDurationMs(i, now))}.`;
    }
    case 'credential.parked':
      return `A credential for ${event.provider} was parked until ${iso(event.until)}: ${event.reason}. Traffic uses other capacity meanwhile.`;
    case 'test':
      return event.message;
  }
}

export function incidentDurationMs(i: Incident, now: number): number {
  return Math.max(0, (i.resolvedAt ?? now) - i.startedAt);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** 93 min -> "1 h 33 min"; under a minute -> "45 s". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** The state an event is "about", for colours. */
export function eventState(event: AlertEvent): ComponentState | 'info' {
  switch (event.type) {
    case 'incident.opened':
    case 'incident.updated':
      return event.incident.impact;
    case 'incident.resolved':
      return 'operational';
    case 'credential.parked':
      return 'degraded_performance';
    case 'test':
      return 'info';
  }
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
