/**
 * A scenario by name or file: a path (anything with a slash or a .yaml/.yml ending, or an
 * existing file) is read from disk; otherwise it names a built-in from ./scenarios/, which
 * the build copies next to the compiled code (scripts/copy-assets.mjs) so an installed
 * package finds them where the source tree does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { suggestion } from '../config/did-you-mean.js';
import { parseScenario } from './parse-scenario.js';
import type { Scenario } from './scenario.js';
import { ScenarioError } from './scenario-error.js';

const BUILTIN_DIR = new URL('./scenarios/', import.meta.url);

export function builtinScenarioNames(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export function builtinScenarioText(name: string): string {
  return readFileSync(new URL(`${name}.yaml`, BUILTIN_DIR), 'utf8');
}

export function loadScenario(ref: string, cwd: string): Scenario {
  const path = resolve(cwd, ref);
  if (/[/\\]|\.ya?ml$/i.test(ref) || existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ScenarioError(ref, [{ path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(e)})` }]);
    }
    return parseScenario(text, ref);
  }
  const names = builtinScenarioNames();
  if (!names.includes(ref)) {
    throw new ScenarioError(ref, [{ path: '', message: `no built-in scenario or file by this name${suggestion(ref, names)}; built-ins: ${names.join(', ')}` }]);
  }
  return parseScenario(builtinScenarioText(ref), ref);
}
