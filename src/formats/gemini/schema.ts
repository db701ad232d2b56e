/**
 * JSON Schema (as clients send it for tools and structured output) -> the
 * OpenAPI 3.0 subset Gemini's `Schema` accepts. Gemini answers 400
 * INVALID_ARGUMENT ("Unknown name \"additionalProperties\"", "Unknown name
 * \"$schema\"") for any key outside that subset, so we keep a whitelist rather
 * than a blacklist. Shape follows js-genai's `Schema` type and its
 * `processJsonSchema` transformer: upper-case `type`, `nullable` instead of a
 * `null` type, `anyOf` for unions, enum values as strings.
 */

type Json = Record<string, unknown>;

/** Keys Gemini's Schema message defines (js-genai src/types.ts `Schema`), minus `default`/`example`: dropping a hint is harmless, a 400 is not. */
const KEPT = new Set([
  'description', 'title', 'nullable', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern',
  'minimum', 'maximum', 'minProperties', 'maxProperties', 'propertyOrdering',
]);

/** Formats the API accepts per type; others (uri, email on older models) have been rejected with 400. */
const FORMATS: Record<string, string[]> = {
  STRING: ['enum', 'date-time'],
  INTEGER: ['int32', 'int64'],
  NUMBER: ['float', 'double'],
};

const TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT']);

/** Gemini has no $ref: references are inlined, up to this depth (recursive schemas are cut off). */
const MAX_DEPTH = 8;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function geminiType(t: unknown): string | undefined {
  if (typeof t !== 'string') return undefined;
  const up = t.toUpperCase();
  return TYPES.has(up) ? up : undefined;
}

function isNullSchema(s: unknown): boolean {
  return isObj(s) && s.type === 'null';
}

function resolveRef(ref: string, root: Json): Json | undefined {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m) return undefined;
  const defs = root[m[1]!];
  if (!isObj(defs)) return undefined;
  const hit = defs[decodeURIComponent(m[2]!).replace(/~1/g, '/').replace(/~0/g, '~')];
  return isObj(hit) ? hit : undefined;
}

function convert(input: Json, root: Json, depth: number): Json {
  let s = input;
  if (typeof s.$ref === 'string') {
    const target = depth < MAX_DEPTH ? resolveRef(s.$ref, root) : undefined;
    // Sibling keywords (e.g. a description next to $ref) win over the target's.
    const { $ref: _ref, ...rest } = s;
    s = target ? { ...target, ...rest } : rest;
  }
  // allOf of one schema (common from zod/pydantic wrappers) is just that schema.
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && isObj(s.allOf[0])) {
    const { allOf, ...rest } = s;
    s = { ...(allOf as Json[])[0], ...rest };
  }
  const out: Json = {};
  let union = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (union) {
    const nonNull = union.filter((u) => !isNullSchema(u));
    if (nonNull.length < union.length) out.nullable = true;
    if (nonNull.length === 1 && isObj(nonNull[0])) {
      const { anyOf: _a, oneOf: _o, ...rest } = s;
      s = { ...nonNull[0], ...rest };
      union = undefined;
    } else {
      union = nonNull;
    }
  }
  let type: string | undefined;
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== 'null');
    if (types.length < s.type.length) out.nullable = true;
    if (types.length === 1) type = geminiType(types[0]);
    else if (!union) union = types.map((t) => ({ type: t }));
  } else {
    type = geminiType(s.type);
  }
  if (union && union.length > 0) {
    out.anyOf = union.filter(isObj).map((u) => convert(u, root, depth + 1));
  } else if (type) {
    out.type = type;
  }
  if (s.const !== undefined && s.const !== null) {
    out.enum = [String(s.const)];
    out.type ??= 'STRING';
  } else if (Array.isArray(s.enum)) {
    const values = s.enum.filter((v) => v !== null).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    if (values.length < s.enum.length) out.nullable = true;
    if (values.length > 0) {
      out.enum = values;
      // The API documents `format: enum` for enum-valued fields.
      if (out.type === 'STRING' || out.type === undefined) {
        out.type = 'STRING';
        out.format = 'enum';
      }
    }
  }
  if (typeof s.format === 'string' && out.format === undefined && typeof out.type === 'string' && FORMATS[out.type]?.includes(s.format)) {
    out.format = s.format;
  }
  for (const k of Object.keys(s)) if (KEPT.has(k)) out[k] = s[k];
  if (isObj(s.items)) out.items = convert(s.items, root, depth + 1);
  else if (Array.isArray(s.items) && isObj(s.items[0])) out.items = convert(s.items[0], root, depth + 1);
  if (isObj(s.properties)) {
    const props: Json = {};
    for (const [name, p] of Object.entries(s.properties)) if (isObj(p)) props[name] = convert(p, root, depth + 1);
    // "properties: should be non-empty for OBJECT type" is a 400, so an empty map is left out.
    if (Object.keys(props).length > 0) {
      out.properties = props;
      if (Array.isArray(s.required)) {
        // A required name with no property is rejected too.
        const req = s.required.filter((r): r is string => typeof r === 'string' && r in props);
        if (req.length > 0) out.required = req;
      }
    }
  }
  return out;
}

/** Clean one JSON Schema for Gemini. */
export function toGeminiSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return convert(schema, schema, 0);
}

/**
 * Function parameters for a declaration, or undefined when the function takes
 * none: Gemini rejects an OBJECT schema with no properties, and a declaration
 * without `parameters` is how it spells "no arguments".
 */
export function toGeminiParameters(schema: Record<string, unknown>): Record<string, unknown> | undefined {
  const out = toGeminiSchema(schema);
  if (out.type === 'OBJECT' && out.properties === undefined && out.anyOf === undefined) return undefined;
  return out;
}
