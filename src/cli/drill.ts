/**
 * `switchyard drill <scenario|file>`: replay an outage against your configuration with
 * simulated providers, and report what the gateway did and what the application would have
 * seen without it. Exit codes: 0 done, 1 configuration/scenario/runtime error, 2 wrong
 * command line, 3 the gateway's success rate fell below --min-success (for CI).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildReport } from '../drill/build-report.js';
import { loadDrillConfig } from '../drill/load-drill-config.js';
import { builtinScenarioNames, builtinScenarioText, loadScenario } from '../drill/load-scenario.js';
import { parseScenario } from '../drill/parse-scenario.js';
import { progressPrinter } from '../drill/progress.js';
import { renderHtml } from '../drill/report-html.js';
import { renderCompareText, renderText } from '../drill/report-text.js';
import type { DrillReport } from '../drill/report-types.js';
import { runDrill } from '../drill/run-drill.js';
import { ScenarioError } from '../drill/scenario-error.js';
import { parseCommandLine } from './args.js';
import { UsageError, type CliIo } from './io.js';

export const DRILL_OPTIONS = {
  config: { type: 'string', short: 'c' },
  compare: { type: 'string', multiple: true },
  json: { type: 'string' },
  html: { type: 'string' },
  'min-success': { type: 'string' },
  speed: { type: 'string' },
  seed: { type: 'string' },
  'no-baseline': { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Exit code when the gateway's success rate is below --min-success. */
export const BELOW_MIN_SUCCESS = 3;

export async function runDrillCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('drill', args, DRILL_OPTIONS);
  if (values.list) {
    io.stdout.write(listText());
    return 0;
  }
  const [ref, ...extra] = positionals;
  if (ref === undefined) throw new UsageError('switchyard drill: which scenario? Name a built-in (switchyard drill --list) or a file', 'drill');
  const configs = [...(values.compare ?? []), ...extra];
  if (values.compare === undefined && extra.length > 0) throw new UsageError(`switchyard drill: unexpected argument "${extra[0]}"`, 'drill');
  if (values.compare !== undefined && configs.length !== 2) throw new UsageError('switchyard drill: --compare takes two configuration files: --compare a.yaml b.yaml', 'drill');
  if (values.compare !== undefined && values.config !== undefined) throw new UsageError('switchyard drill: use --config or --compare, not both', 'drill');
  const minSuccess = number(values['min-success'], '--min-success', 0, 1);
  const speed = number(values.speed, '--speed', 1, 1e6);
  const seed = number(values.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);

  let scenario;
  try {
    scenario = loadScenario(ref, io.cwd);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    io.stderr.write(`Scenario error${e.issues.length > 1 ? `s (${e.issues.length})` : ''}:\n${e.message}\n`);
    return 1;
  }
  if (seed !== undefined) scenario = { ...scenario, seed: Math.floor(seed) };

  const paths = values.compare !== undefined ? configs : [values.config];
  const loaded = paths.map((p) => loadDrillConfig(p, io.env, io.cwd));
  const reports: DrillReport[] = [];
  for (const config of loaded) {
    const label = loaded.length > 1 ? `${config.source}: ` : '';
    io.stderr.write(`${label}replaying ${scenario.name} (${scenario.title})...\n`);
    const bar = progressPrinter(io.stderr as { write(s: string): unknown; isTTY?: boolean }, scenario.start, label);
    let run;
    try {
      run = await runDrill({ scenario, config, ...(speed === undefined ? {} : { speed }), baseline: values['no-baseline'] !== true, onProgress: (p) => bar.update(p) });
    } catch (e) {
      // A drill that cannot run (an alias the scenario names is missing, a port cannot be opened): the reason, not a stack.
      bar.end();
      io.stderr.write(`drill: ${config.source}: ${(e as Error).message}\n`);
      return 1;
    }
    bar.end();
    reports.push(buildReport(run));
  }

  io.stdout.write(reports.length === 1 ? renderText(reports[0]!) : renderCompareText(reports));
  if (values.json) {
    writeFileSync(resolve(io.cwd, values.json), `${JSON.stringify(reports.length === 1 ? reports[0] : { reports }, null, 2)}\n`);
    io.stdout.write(`\nJSON report: ${values.json}\n`);
  }
  if (values.html) {
    writeFileSync(resolve(io.cwd, values.html), renderHtml(reports));
    io.stdout.write(`${values.json ? '' : '\n'}HTML report: ${values.html}\n`);
  }
  if (minSuccess !== undefined) {
    const below = reports.filter((r) => r.overall.gateway.successRate < minSuccess);
    for (const r of below) io.stderr.write(`drill: ${r.config.source}: ${(r.overall.gateway.successRate * 100).toFixed(3)}% of requests succeeded, below --min-success ${minSuccess}\n`);
    if (below.length > 0) return BELOW_MIN_SUCCESS;
  }
  return 0;
}

function number(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`switchyard drill: ${flag} "${v}" is not a number from ${min} to ${max}`, 'drill');
  return n;
}

function listText(): string {
  const lines = ['Built-in scenarios (switchyard drill <name>):', ''];
  for (const name of builtinScenarioNames()) lines.push(`  ${name.padEnd(20)} ${parseScenario(builtinScenarioText(name), name).title}`);
  return `${lines.join('\n')}\n`;
}
