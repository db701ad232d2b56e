/**
 * The progress bar a drill draws while it runs: on a terminal one line redrawn in place, in a
 * log (CI) a line every tenth of the way.
 */
import { formatPct } from '../web/status/format.js';
import type { DrillProgress } from './run-drill.js';
import { formatAt } from './scenario-time.js';

const WIDTH = 24;

export function progressLine(p: DrillProgress, start: number, label: string): string {
  const filled = Math.round(p.fraction * WIDTH);
  const ok = p.done === 0 ? '' : ` · ${formatPct((p.ok / p.done) * 100, 1)} ok`;
  return `${label}[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.round(p.fraction * 100)).padStart(3)}%  ${formatAt(p.now, start)} · ${p.done}/${p.total} through the gateway${ok} · ${p.baselineDone} without it`;
}

/** Draws progress on `out`: in place on a TTY, else at every 10%. */
export function progressPrinter(out: { write(s: string): unknown; isTTY?: boolean }, start: number, label = ''): { update(p: DrillProgress): void; end(): void } {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p) {
      if (out.isTTY) {
        out.write(`\r${progressLine(p, start, label)}\x1b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(p.fraction * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.write(`${progressLine(p, start, label)}\n`);
      }
    },
    end() {
      if (drawn) out.write('\n');
    },
  };
}
