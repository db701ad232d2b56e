/**
 * DESIGN.md's dependency direction, as data: for each folder of src/, the folders its code may
 * import from. The lint rule (import-x/no-restricted-paths) forbids everything else, so an import
 * against the direction fails `npm run lint` (eslint/layers.test.ts shows it failing).
 */
export const LAYERS = {
  core: [],
  sse: ['core'],
  formats: ['core', 'sse'],
  providers: ['core', 'sse', 'formats'],
  storage: ['core'],
  routing: ['core', 'storage', 'providers', 'formats'],
  health: ['core', 'storage'],
  guard: ['core', 'storage'],
  journal: ['core', 'storage', 'formats', 'sse'],
  alerts: ['core', 'health', 'storage'],
  web: ['core', 'health'],
  metrics: ['core', 'storage'],
  telemetry: ['core', 'metrics'],
  config: ['core', 'storage', 'providers', 'routing', 'health', 'alerts', 'guard', 'journal'],
  http: ['core', 'formats', 'providers', 'routing', 'health', 'guard', 'journal', 'storage', 'web', 'config', 'metrics', 'telemetry'],
  gateway: ['core', 'sse', 'formats', 'providers', 'storage', 'routing', 'health', 'guard', 'journal', 'alerts', 'web', 'config', 'http', 'metrics', 'telemetry'],
  sim: ['core', 'config', 'providers'],
  drill: ['core', 'config', 'sim', 'gateway', 'http', 'health', 'web', 'routing', 'formats', 'providers', 'storage'],
  cli: ['core', 'config', 'gateway', 'http', 'sim', 'drill', 'alerts', 'health', 'storage', 'guard', 'journal', 'routing', 'providers', 'formats', 'web'],
};

/** One zone per layer: its folder may not import from src/ except its own folder and the layers it lists. */
export function layerZones(root = './src') {
  return Object.entries(LAYERS).map(([layer, allowed]) => ({
    target: `${root}/${layer}`,
    from: root,
    except: [`./${layer}`, ...allowed.map((l) => `./${l}`)],
    message: `${layer}/ may import only from ${allowed.length > 0 ? allowed.join(', ') : 'nothing else in src'} (DESIGN.md, docs/architecture.md).`,
  }));
}
