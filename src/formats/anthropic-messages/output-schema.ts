/**
 * A client's JSON Schema (an OpenAI `response_format` or Responses `text.format`) -> the subset
 * Anthropic's structured outputs accept in `output_config.format.schema`. The rules are the ones
 * @anthropic-ai/sdk applies before sending (lib/transform-json-schema.ts): kept are `$defs`/`$ref`,
 * `type`, `enum`, `const`, `anyOf` (`oneOf` becomes `anyOf`), `allOf`, `title`, `description`,
 * object `properties`/`required` with `additionalProperties: false`, string `format`s of a known
 * set and array `items` with `minItems` 0 or 1. Any other constraint (`minimum`, `pattern`,
 * `maxLength`...) is not dropped but written into the description, as the SDK does, so the model
 * still sees it. draft-07 `definitions` (what zod-to-json-schema emits) become `$defs`.
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrimitive = (v: unknown): boolean => v === null || typeof v !== 'object';

const STRING_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);

/** Keywords that describe but do not constrain, and so stay out of the description. */
const SILENT = new Set(['$schema', '$id', '$comment', 'examples', 'default']);

function transform(input: Json): Json {
  const s: Json = { ...input };
  const out: Json = {};
  const take = (k: string): unknown => {
    const v = s[k];
    delete s[k];
    return v;
  };
  const defs = take('$defs') ?? take('definitions');
  if (isObj(defs)) out.$defs = Object.fromEntries(Object.entries(defs).map(([k, d]) => [k, isObj(d) ? transform(d) : d]));
  const ref = take('$ref');
  if (typeof ref === 'string') {
    out.$ref = ref.replace(/^#\/definitions\//, '#/$defs/');
    return out;
  }
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every(isPrimitive)) out.enum = take('enum');
  if (s.const !== undefined && isPrimitive(s.const)) out.const = take('const');
  const literal = 'enum' in out || 'const' in out;
  let type = take('type');
  // A schema that lists properties is an object even when it does not say so.
  if (type === undefined && isObj(s.properties)) type = 'object';
  if (Array.isArray(type)) {
    // `["string", "null"]` (zod's nullable): one branch per type, the constraints with the non-null ones.
    const types = type.filter((t): t is string => typeof t === 'string');
    if (types.length === 1) type = types[0];
    else if (!literal) {
      const { description, title, ...rest } = s;
      out.anyOf = types.map((t) => (t === 'null' ? { type: 'null' } : transform({ ...rest, type: t })));
      if (typeof description === 'string') out.description = description;
      if (typeof title === 'string') out.title = title;
      return out;
    }
  }
  const anyOf = take('anyOf') ?? take('oneOf');
  const allOf = take('allOf');
  if (Array.isArray(anyOf)) out.anyOf = anyOf.map((v) => (isObj(v) ? transform(v) : v));
  else if (Array.isArray(allOf)) out.allOf = allOf.map((v) => (isObj(v) ? transform(v) : v));
  else if (!literal && type !== undefined) out.type = type;
  for (const k of ['description', 'title']) if (typeof s[k] === 'string') out[k] = take(k);

  if (type === 'object') {
    const props = take('properties');
    out.properties = isObj(props) ? Object.fromEntries(Object.entries(props).map(([k, p]) => [k, isObj(p) ? transform(p) : p])) : {};
    take('additionalProperties');
    out.additionalProperties = false;
    const required = take('required');
    if (Array.isArray(required)) out.required = required;
  } else if (type === 'string' && typeof s.format === 'string' && STRING_FORMATS.has(s.format)) {
    out.format = take('format');
  } else if (type === 'array') {
    const items = take('items');
    if (isObj(items)) out.items = transform(items);
    if (s.minItems === 0 || s.minItems === 1) out.minItems = take('minItems');
  }
  for (const k of SILENT) delete s[k];
  const rest = Object.entries(s);
  if (rest.length > 0) {
    const note = `{${rest.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`;
    out.description = typeof out.description === 'string' ? `${out.description}\n\n${note}` : note;
  }
  return out;
}

export function toAnthropicSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return transform(schema);
}
