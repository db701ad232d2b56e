/**
 * What the playground's buttons do to a simulated provider: each mode is a fault schedule
 * for its simulator (sim/faults.ts), modelled on shared/scenarios.md's patterns.
 */
import type { FaultRule } from './faults.js';
import type { FaultTarget } from './outage-cycle.js';

export const BREAK_MODES = ['healthy', 'down', 'slow', 'cut', 'rate-limited'] as const;
export type BreakMode = (typeof BREAK_MODES)[number];

export const BREAK_LABELS: Record<BreakMode, string> = {
  healthy: 'Healthy',
  down: 'Down (503)',
  slow: 'Slow (4 s to first byte)',
  cut: 'Cut mid-stream',
  'rate-limited': 'Rate limited (429)',
};

export function faultsFor(mode: BreakMode): FaultRule[] {
  switch (mode) {
    case 'down':
      return [{ fault: { kind: 'status', status: 503 } }];
    case 'slow':
      return [{ fault: { kind: 'stall-before-first-byte', ms: 4_000 } }];
    case 'cut':
      // Cut after a few words, so the answer visibly starts on one provider and ends on another.
      return [{ fault: { kind: 'cut-after', after: 6 } }];
    case 'rate-limited':
      return [{ fault: { kind: 'status', status: 429, retryAfterSeconds: 20 } }];
    default:
      return [];
  }
}

/** The mode a simulator's current faults correspond to, or `custom` when set by other means (the demo's outage cycle, a PUT /_sim/faults). */
export function modeOf(rules: readonly FaultRule[]): BreakMode | 'custom' {
  const text = JSON.stringify(rules);
  return BREAK_MODES.find((m) => JSON.stringify(faultsFor(m)) === text) ?? 'custom';
}

/** The modes as the playground lists them: id and button label, in order. */
export const PLAYGROUND_MODES: readonly { id: string; label: string }[] = BREAK_MODES.map((id) => ({ id, label: BREAK_LABELS[id] }));

/** A simulator as the playground's buttons see it: its mode now, and a way to change it. */
export function breakable(name: string, faults: FaultTarget): { name: string; mode(): string; setMode(mode: string): void } {
  return {
    name,
    mode: () => modeOf(faults.list()),
    setMode: (mode) => faults.set(faultsFor(mode as BreakMode)),
  };
}
