/**
 * Whether OpenAI's strict structured outputs can take a schema as it is. Strict mode ("Supported
 * schemas" in OpenAI's structured-outputs guide) demands that every object list all its properties
 * in `required` and set `additionalProperties: false`; a schema from a client that enforces its
 * schema without those rules (Anthropic's structured outputs allow optional properties) would get
 * a 400 there. Such a schema is sent without `strict`: OpenAI is then steered by it rather than
 * bound to it, and the client's own parser (`messages.parse`) still validates the answer.
 */
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function meetsStrictRules(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(meetsStrictRules);
  if (!isObj(schema)) return true;
  const props = schema.properties;
  if (isObj(props) || schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'))) {
    if (schema.additionalProperties !== false) return false;
    const keys = isObj(props) ? Object.keys(props) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    if (!keys.every((k) => required.includes(k))) return false;
  }
  for (const key of ['properties', '$defs', 'definitions']) {
    const m = schema[key];
    if (isObj(m) && !Object.values(m).every(meetsStrictRules)) return false;
  }
  for (const key of ['items', 'anyOf', 'allOf', 'oneOf', 'not']) {
    if (schema[key] !== undefined && !meetsStrictRules(schema[key])) return false;
  }
  return true;
}
