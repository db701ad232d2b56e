#!/usr/bin/env node
/**
 * Disk size of 90 days of per-minute health data for one component in the
 * SQLite store (issue 5: the README states it, as measured).
 *
 *   node --import tsx scripts/measure-status-storage.mjs [--days 90] [--components 1]
 *
 * Writes into a temporary directory, closes the store (checkpointing the WAL
 * into the main file), and prints the file size, bytes per minute and rows.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openHealthStore } from '../src/storage/health-store.ts';
import { openSqliteDatabase } from '../src/storage/sqlite/driver.ts';
import { fillHistory } from './status/fill-history.mjs';

const { values } = parseArgs({ options: { days: { type: 'string', default: '90' }, components: { type: 'string', default: '1' } } });
const days = Number(values.days);
const n = Number(values.components);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-measure-'));
try {
  const now = Date.now();
  const store = await openHealthStore({ kind: 'sqlite', dir });
  const t0 = performance.now();
  await fillHistory(store, { components: Array.from({ length: n }, (_, i) => `provider-${i}/model-${i}`), days, now });
  const fillMs = performance.now() - t0;
  await store.close();

  const db = await openSqliteDatabase(join(dir, 'switchyard.db'));
  const rows = Object.fromEntries(['minute', 'quarter', 'hour', 'day'].map((r) => [r, db.prepare(`SELECT COUNT(*) AS n FROM metrics_${r}`).get().n]));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const files = readdirSync(dir).map((f) => ({ f, size: statSync(join(dir, f)).size }));
  const total = files.reduce((a, x) => a + x.size, 0);
  const minutes = rows.minute;
  console.log(`${days} days x ${n} component(s): ${minutes} minute rows, ${rows.quarter} quarter, ${rows.hour} hour, ${rows.day} day rows`);
  console.log(`files: ${files.map((x) => `${x.f} ${(x.size / 1048576).toFixed(2)} MiB`).join(', ')}`);
  console.log(`total ${(total / 1048576).toFixed(2)} MiB = ${(total / minutes).toFixed(1)} bytes per component-minute (all resolutions included)`);
  console.log(`fill took ${(fillMs / 1000).toFixed(1)} s (${Math.round(minutes / (fillMs / 1000))} minute buckets/s, batches of one day)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
