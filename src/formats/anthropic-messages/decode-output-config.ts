/**
 * Anthropic's `output_config` (Messages API, structured outputs): `format` constrains the answer's
 * text to JSON valid for a schema, `effort` says how hard the model works. Both go canonical so a
 * translated request keeps them (issue #24: `messages.parse` routed to OpenAI or Gemini lost the
 * constraint). The beta API's top-level `output_format` (header structured-outputs-2025-11-13) is
 * the same format under its older name. Shapes per @anthropic-ai/sdk `OutputConfig` and
 * `JSONOutputFormat`.
 */
import { invalidRequest } from '../../core/errors.js';
import type { ChatRequest, ReasoningEffort } from '../../core/request.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(param: string, problem: string): never {
  throw invalidRequest(`${param}: ${problem}`, param);
}

const EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh', 'max'];

/**
 * The canonical name of a schema Anthropic leaves unnamed: OpenAI requires one
 * (`json_schema.name`, ^[a-zA-Z0-9_-]{1,64}$) and shows it to the model, so it says what it is.
 */
export const UNNAMED_SCHEMA = 'output';

function format(v: unknown, param: string, req: ChatRequest): void {
  if (v === undefined || v === null) return;
  if (!isObj(v)) fail(param, 'Input should be a valid dictionary');
  if (v.type !== 'json_schema') fail(`${param}.type`, "Input should be 'json_schema'");
  if (!isObj(v.schema)) fail(`${param}.schema`, 'Field required');
  // Anthropic always enforces the schema (constrained decoding): strict, in OpenAI's words.
  req.responseFormat = { type: 'json_schema', name: UNNAMED_SCHEMA, schema: v.schema, strict: true };
  req.paths = { ...req.paths, responseFormat: param };
}

export function decodeOutputConfig(body: Obj, req: ChatRequest): void {
  format(body.output_format, 'output_format', req);
  const oc = body.output_config;
  if (oc === undefined || oc === null) return;
  if (!isObj(oc)) fail('output_config', 'Input should be a valid dictionary');
  format(oc.format, 'output_config.format', req);
  const effort = oc.effort;
  if (effort === undefined || effort === null) return;
  if (typeof effort !== 'string' || !(EFFORTS as readonly string[]).includes(effort)) {
    fail('output_config.effort', `Input should be ${EFFORTS.map((e) => `'${e}'`).join(', ')}`);
  }
  req.reasoningEffort = effort as ReasoningEffort;
  req.paths = { ...req.paths, reasoningEffort: 'output_config.effort' };
}
