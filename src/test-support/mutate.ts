/**
 * Seeded mutations of valid JSON bodies, for tests that feed the formats what a careless
 * client or a broken upstream might send: some values replaced by others of the wrong type,
 * or removed. Deterministic for a seed, so a failure is reproducible.
 */

/** A small linear congruential generator: the same seed gives the same sequence. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/** Values that are valid JSON but wrong in most places, plus a few that are right in some. */
const REPLACEMENTS: unknown[] = [
  null, 0, -1, 1.5, 1e308, '', 'x', [], {}, true, [null], [{}], { a: 1 },
  'user', 'assistant', 'tool', 'system', 'text', 'image_url', 'function',
  [{ type: 'text' }], { type: 'text' }, 'data:image/png;base64,AAAA', '{"a":',
];

type Path = (string | number)[];

function pathsOf(v: unknown, at: Path, out: Path[]): Path[] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) pathsOf((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/** A copy of `value` with one to three of its values replaced or removed. */
export function mutate<T>(value: T, random: () => number): T {
  const box = { root: structuredClone(value) as unknown };
  const times = 1 + Math.floor(random() * 3);
  for (let i = 0; i < times; i++) {
    const paths = pathsOf(box.root, [], []);
    if (paths.length === 0) break;
    const path = paths[Math.floor(random() * paths.length)]!;
    let parent = box.root as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    if (random() < 0.2 && !Array.isArray(parent)) delete parent[key];
    else parent[key] = structuredClone(REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)]);
  }
  return box.root as T;
}
