/**
 * What the playground's buttons do to a simulated provider: each mode is a fault schedule
 * for its simulator (sim/faults.ts), modelled on shared/scenarios.md's patterns.
 */
import type { FaultRule } from '../../sim/faults.js';

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
