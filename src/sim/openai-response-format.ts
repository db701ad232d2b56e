/**
 * The simulated OpenAI API's reading of `response_format` and `reasoning_effort`, with the 400s
 * OpenAI answers (structured-outputs guide, "Supported schemas"; JSON mode guide): a json_schema
 * needs a `name`; in strict mode every object must set `additionalProperties: false` and list all
 * its properties in `required`; JSON mode needs the word "json" somewhere in the messages.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface OpenAIFormatError {
  message: string;
  param: string;
  code: string | null;
}

/** JSON mode has no schema; the sim answers an object with one string field. */
const JSON_MODE_SCHEMA = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

/** The first strict-mode violation, in OpenAI's words, or undefined. */
function strictViolation(s: unknown, at: string): string | undefined {
  if (Array.isArray(s)) {
    for (const [i, x] of s.entries()) {
      const v = strictViolation(x, `${at}, ${i}`);
      if (v) return v;
    }
    return undefined;
  }
  if (!isObj(s)) return undefined;
  if (s.type === 'object' || isObj(s.properties)) {
    if (s.additionalProperties !== false) return `In context=(${at}), 'additionalProperties' is required to be supplied and to be false.`;
    const keys = isObj(s.properties) ? Object.keys(s.properties) : [];
    const required = Array.isArray(s.required) ? s.required : [];
    const missing = keys.find((k) => !required.includes(k));
    if (missing !== undefined) return `In context=(${at}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
  }
  for (const key of ['properties', '$defs', 'definitions']) {
    const m = s[key];
    if (isObj(m)) {
      for (const [k, v] of Object.entries(m)) {
        const found = strictViolation(v, at === '' ? `'${key}', '${k}'` : `${at}, '${key}', '${k}'`);
        if (found) return found;
      }
    }
  }
  for (const key of ['items', 'anyOf', 'allOf']) {
    const found = s[key] === undefined ? undefined : strictViolation(s[key], at === '' ? `'${key}'` : `${at}, '${key}'`);
    if (found) return found;
  }
  return undefined;
}

/** The schema the answer must follow, or an error; undefined for plain text. */
export function readResponseFormat(rf: unknown, messagesText: string): { schema?: Obj } | { error: OpenAIFormatError } {
  if (rf === undefined || rf === null) return {};
  if (!isObj(rf) || typeof rf.type !== 'string') return { error: { message: "Missing required parameter: 'response_format.type'.", param: 'response_format.type', code: 'missing_required_parameter' } };
  if (rf.type === 'text') return {};
  if (rf.type === 'json_object') {
    if (!/json/i.test(messagesText)) {
      return { error: { message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", param: 'messages', code: null } };
    }
    return { schema: JSON_MODE_SCHEMA };
  }
  if (rf.type !== 'json_schema') return { error: { message: `Invalid value: '${rf.type}'. Supported values are: 'json_object', 'json_schema', and 'text'.`, param: 'response_format.type', code: 'invalid_value' } };
  const js = rf.json_schema;
  if (!isObj(js) || typeof js.name !== 'string') return { error: { message: "Missing required parameter: 'response_format.json_schema.name'.", param: 'response_format.json_schema.name', code: 'missing_required_parameter' } };
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(js.name)) return { error: { message: `Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, param: 'response_format.json_schema.name', code: 'invalid_value' } };
  const schema = isObj(js.schema) ? js.schema : {};
  if (js.strict === true) {
    const v = strictViolation(schema, '');
    if (v) return { error: { message: `Invalid schema for response_format '${js.name}': ${v}`, param: 'response_format', code: null } };
  }
  return { schema };
}

/** Whether the request asks the model to think; an unknown effort is OpenAI's 400. */
export function readReasoningEffort(v: unknown): { reasoning: boolean } | { error: OpenAIFormatError } {
  if (v === undefined || v === null) return { reasoning: false };
  if (typeof v !== 'string' || !EFFORTS.includes(v)) {
    return { error: { message: `Invalid value: '${String(v)}'. Supported values are: ${EFFORTS.map((e) => `'${e}'`).join(', ')}.`, param: 'reasoning_effort', code: 'invalid_value' } };
  }
  return { reasoning: v !== 'none' };
}
