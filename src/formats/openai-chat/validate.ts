/**
 * Small strict readers for decoding client JSON. Each failure is a 400 naming
 * the field the way OpenAI does (`messages[2].content`), so a client can fix
 * its request without guessing. `null` counts as absent for optional fields:
 * OpenAI accepts `null` for every nullable parameter and many clients send it.
 */
import { invalidRequest } from '../../core/errors.js';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export function requireObject(v: unknown, param: string): Json {
  if (!isObject(v)) throw invalidRequest(`Invalid type for '${param}': expected an object, but got ${describe(v)}.`, param);
  return v;
}

export function requireString(v: unknown, param: string): string {
  if (v === undefined || v === null) throw invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  if (typeof v !== 'string') throw invalidRequest(`Invalid type for '${param}': expected a string, but got ${describe(v)}.`, param);
  return v;
}

export function optString(v: unknown, param: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  return requireString(v, param);
}

export function optBoolean(v: unknown, param: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidRequest(`Invalid type for '${param}': expected a boolean, but got ${describe(v)}.`, param);
  return v;
}

export function optNumber(v: unknown, param: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRequest(`Invalid type for '${param}': expected a number, but got ${describe(v)}.`, param);
  if (v < min || v > max) throw invalidRequest(`Invalid '${param}': ${v} is out of range; expected a value between ${min} and ${max}.`, param);
  return v;
}

export function optInteger(v: unknown, param: string, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidRequest(`Invalid type for '${param}': expected an integer, but got ${describe(v)}.`, param);
  if (v < min) throw invalidRequest(`Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${v} instead.`, param);
  return v;
}

export function optArray(v: unknown, param: string): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidRequest(`Invalid type for '${param}': expected an array, but got ${describe(v)}.`, param);
  return v;
}
