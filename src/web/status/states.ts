/**
 * How component states look and read. Colour is never the only signal
 * (WCAG 1.4.1): every coloured mark also carries the state in words, in a
 * <title>, an aria-label or visible text. Colours live in styles.ts as CSS
 * classes `s-<state>` so dark mode can swap them.
 */
import type { ComponentState } from '../../health/types.js';

export type BarState = ComponentState | 'no_data';

const LABELS: Record<BarState, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  no_data: 'No data',
};

export function stateLabel(s: BarState): string {
  return LABELS[s] ?? s;
}

/** CSS class for a state; unknown values from a newer producer fall back to no_data rather than breaking the page. */
export function stateClass(s: BarState): string {
  return s in LABELS ? `s-${s}` : 's-no_data';
}

/** A visible state word with its colour dot. */
export function stateBadge(s: BarState): string {
  return `<span class="badge ${stateClass(s)}"><span class="dot" aria-hidden="true"></span>${stateLabel(s)}</span>`;
}
