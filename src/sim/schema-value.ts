/**
 * A deterministic value valid for a JSON Schema, so a simulated model asked for structured output
 * (OpenAI `response_format: json_schema`, Anthropic `output_config.format`, Gemini `responseSchema`
 * / `responseJsonSchema`) answers JSON that the SDKs' `.parse` helpers accept, as a real model
 * under constrained decoding would. It reads JSON Schema and Gemini's OpenAPI subset alike
 * (upper-case types, `nullable`), follows `$ref` into `$defs` / `definitions`, takes the first
 * enum value or non-null union branch, and meets the common numeric, length and item-count bounds.
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** References are followed this deep; a recursive schema then gets its smallest valid value. */
const MAX_DEPTH = 8;

const FORMATTED: Record<string, string> = {
  'date-time': '2024-06-04T06:49:00Z',
  date: '2024-06-04',
  time: '06:49:00',
  duration: 'PT1M',
  email: 'sim@example.com',
  uri: 'https://example.com/sim',
  url: 'https://example.com/sim',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function resolve(ref: string, root: Json): Json | undefined {
  if (ref === '#') return root;
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = m ? root[m[1]!] : undefined;
  const hit = m && isObj(defs) ? defs[decodeURIComponent(m[2]!).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return isObj(hit) ? hit : undefined;
}

function typeOf(s: Json): string | undefined {
  const t = Array.isArray(s.type) ? s.type.find((x) => String(x).toLowerCase() !== 'null') : s.type;
  if (typeof t === 'string') return t.toLowerCase();
  if (isObj(s.properties)) return 'object';
  if (s.items !== undefined) return 'array';
  return undefined;
}

function numberIn(s: Json, integer: boolean): number {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const step = integer ? 1 : 0.5;
  const exMin = num(s.exclusiveMinimum);
  const exMax = num(s.exclusiveMaximum);
  const min = num(s.minimum) ?? (exMin === undefined ? undefined : exMin + step);
  const max = num(s.maximum) ?? (exMax === undefined ? undefined : exMax - step);
  let v = 42;
  if (min !== undefined && v < min) v = integer ? Math.ceil(min) : min;
  if (max !== undefined && v > max) v = integer ? Math.floor(max) : max;
  return v;
}

function stringFor(s: Json, key: string): string {
  let v = typeof s.format === 'string' && FORMATTED[s.format] !== undefined ? FORMATTED[s.format]! : `sim-${key || 'value'}`;
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  if (v.length < min) v = v.padEnd(min, 'x');
  if (typeof s.maxLength === 'number' && v.length > s.maxLength) v = v.slice(0, Math.max(s.maxLength, min));
  return v;
}

function sample(schema: unknown, root: Json, depth: number, key: string): unknown {
  if (!isObj(schema)) return schema === false ? null : {};
  let s = schema;
  if (typeof s.$ref === 'string') {
    const target = depth < MAX_DEPTH ? resolve(s.$ref, root) : undefined;
    if (!target) return null;
    const { $ref: _ref, ...rest } = s;
    s = { ...target, ...rest };
  }
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.find((v) => v !== null) ?? s.enum[0];
  const union = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (union) {
    const branch = union.find((b) => !(isObj(b) && String(b.type).toLowerCase() === 'null')) ?? union[0];
    return sample(branch, root, depth + 1, key);
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return sample(Object.assign({}, ...s.allOf.filter(isObj)), root, depth + 1, key);
  switch (typeOf(s)) {
    case 'object': {
      const props = isObj(s.properties) ? s.properties : {};
      const required = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [];
      // Every property while shallow (a fuller answer shows more of the schema), only the required ones deeper.
      const keys = depth < 4 ? Object.keys(props) : required;
      const out: Json = {};
      for (const k of keys) out[k] = sample(props[k], root, depth + 1, k);
      return out;
    }
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      const n = Math.min(Math.max(min, depth < 4 ? 1 : 0), typeof s.maxItems === 'number' ? s.maxItems : Infinity);
      const items = Array.isArray(s.prefixItems) ? s.prefixItems : undefined;
      return Array.from({ length: Math.max(n, items?.length ?? 0) }, (_, i) => sample(items?.[i] ?? s.items, root, depth + 1, key));
    }
    case 'string':
      return stringFor(s, key);
    case 'integer':
      return numberIn(s, true);
    case 'number':
      return numberIn(s, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return `sim-${key || 'value'}`;
  }
}

export function valueForSchema(schema: Record<string, unknown>): unknown {
  return sample(schema, schema, 0, '');
}
