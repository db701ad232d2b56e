/**
 * The simulated Gemini API's reading of `generationConfig` structured output and thinking
 * (REST reference `GenerationConfig`, js-genai `ThinkingConfig`): `responseSchema` (Gemini's
 * OpenAPI subset, checked like tool schemas) or `responseJsonSchema` (JSON Schema), either with
 * `responseMimeType: application/json`; `thinkingConfig` takes a `thinkingBudget` or a
 * `thinkingLevel`, never both.
 */
import { field, invalid, schemaError } from './gemini-request-check.js';
import type { SimErrorResponse } from './wire.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const LEVELS = ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];

/** JSON mode without a schema: any JSON object; the sim answers one with a single field. */
const JSON_MODE_SCHEMA = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };

function schemaOf(gen: Obj): { schema?: Obj } | { error: SimErrorResponse } {
  const mime = field(gen, 'responseMimeType');
  const schema = field(gen, 'responseSchema');
  const jsonSchema = field(gen, 'responseJsonSchema');
  if (schema === undefined && jsonSchema === undefined) return mime === 'application/json' ? { schema: JSON_MODE_SCHEMA } : {};
  if (schema !== undefined && jsonSchema !== undefined) return invalid('* GenerateContentRequest.generation_config: response_schema and response_json_schema cannot both be set.\n');
  if (mime !== 'application/json') {
    return invalid(`* GenerateContentRequest.generation_config.response_mime_type: When response_schema is set, response_mime_type must be application/json; got ${JSON.stringify(mime ?? '')}.\n`);
  }
  if (jsonSchema !== undefined) return isObj(jsonSchema) ? { schema: jsonSchema } : invalid("Invalid value at 'generation_config.response_json_schema': expected a JSON object.", true);
  return schemaError(schema, 'generation_config.response_schema') ?? { schema: schema as Obj };
}

function thinkingOf(gen: Obj): { thinking: boolean } | { error: SimErrorResponse } {
  const tc = field(gen, 'thinkingConfig');
  if (tc === undefined) return { thinking: false };
  if (!isObj(tc)) return invalid("Invalid value at 'generation_config.thinking_config': expected an object.", true);
  const budget = field(tc, 'thinkingBudget');
  const level = field(tc, 'thinkingLevel');
  if (budget !== undefined && level !== undefined) return invalid('Unable to submit request because thinking_budget and thinking_level are not supported together.');
  if (budget !== undefined && (typeof budget !== 'number' || !Number.isInteger(budget))) return invalid("Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32)", true);
  if (level !== undefined && (typeof level !== 'string' || !LEVELS.includes(level))) {
    return invalid(`Invalid value at 'generation_config.thinking_config.thinking_level' (type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel), ${JSON.stringify(level)}`, true);
  }
  return { thinking: level !== undefined || (typeof budget === 'number' && budget !== 0) };
}

export function readAnswerOptions(gen: Obj): { schema?: Obj; thinking: boolean } | { error: SimErrorResponse } {
  const s = schemaOf(gen);
  if ('error' in s) return s;
  const t = thinkingOf(gen);
  if ('error' in t) return t;
  return s.schema ? { schema: s.schema, thinking: t.thinking } : { thinking: t.thinking };
}
