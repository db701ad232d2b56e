/**
 * How the simulated Gemini API checks a request, with Google's own error bodies: google.rpc.Status
 * pretty-printed, unknown fields named (proto JSON takes camelCase and snake_case alike), and
 * schemas outside Gemini's OpenAPI subset refused as the real API refuses them.
 */
import type { SimErrorResponse } from './wire.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const HEADERS = { 'content-type': 'application/json; charset=UTF-8', vary: 'Origin, X-Origin, Referer', server: 'scaffolding on HTTPServer2' };

/** google.rpc.Status as Google sends it: pretty-printed JSON with a trailing newline. */
export function googleError(code: number, status: string, message: string, details?: Obj[]): SimErrorResponse {
  const error: Obj = { code, message, status };
  if (details) error.details = details;
  return { status: code, headers: { ...HEADERS }, body: `${JSON.stringify({ error }, null, 2)}\n` };
}

export const invalid = (message: string, fieldViolation = false): { error: SimErrorResponse } => ({
  error: googleError(400, 'INVALID_ARGUMENT', message, fieldViolation ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ description: message }] }] : undefined),
});
export const unknownName = (name: string, at?: string) => invalid(`Invalid JSON payload received. Unknown name ${JSON.stringify(name)}${at ? ` at '${at}'` : ''}: Cannot find field.`, true);

/** Fields of GenerateContentRequest and GenerationConfig (REST reference); proto JSON also takes snake_case names. */
export const REQUEST_FIELDS = ['model', 'contents', 'tools', 'toolConfig', 'safetySettings', 'systemInstruction', 'generationConfig', 'cachedContent'];
export const GENERATION_FIELDS = [
  'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount', 'maxOutputTokens',
  'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs', 'logprobs', 'enableEnhancedCivicAnswers',
  'speechConfig', 'thinkingConfig', 'mediaResolution', 'imageConfig',
];
const SCHEMA_FIELDS = [
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required', 'minProperties', 'maxProperties',
  'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum',
];
const TYPES = ['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL'];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const known = (fields: string[], key: string) => fields.includes(key) || fields.some((f) => snake(f) === key);
export const field = (o: Obj, name: string): unknown => o[name] ?? o[snake(name)];

/** The error Google gives for a schema outside its OpenAPI subset, or undefined if it is acceptable. */
export function schemaError(s: unknown, at: string): { error: SimErrorResponse } | undefined {
  if (!isObj(s)) return invalid(`Invalid value at '${at}': expected a Schema object.`, true);
  for (const k of Object.keys(s)) if (!known(SCHEMA_FIELDS, k)) return unknownName(k, at);
  if (s.type !== undefined && (typeof s.type !== 'string' || !TYPES.includes(s.type.toUpperCase()))) {
    return invalid(`Invalid value at '${at}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), ${JSON.stringify(s.type)}`, true);
  }
  const props = s.properties;
  if (typeof s.type === 'string' && s.type.toUpperCase() === 'OBJECT' && props !== undefined && (!isObj(props) || Object.keys(props).length === 0)) {
    return invalid(`* GenerateContentRequest.${at}.properties: should be non-empty for OBJECT type\n`);
  }
  if (isObj(props)) {
    for (const [name, p] of Object.entries(props)) {
      const e = schemaError(p, `${at}.properties[${JSON.stringify(name)}].value`);
      if (e) return e;
    }
  }
  if (s.items !== undefined) return schemaError(s.items, `${at}.items`);
  if (Array.isArray(s.anyOf)) for (const [i, a] of s.anyOf.entries()) { const e = schemaError(a, `${at}.any_of[${i}]`); if (e) return e; }
  return undefined;
}

