/**
 * The shape of switchyard.yaml (snake_case, as users write it), in zod.
 * Messages say what was expected and never echo values that could be secrets
 * (api_key, headers, query). Cross-references (duplicate names, unknown
 * providers) are checked in cross-check.ts so they are reported even when the
 * shape is also wrong.
 */
import { z } from 'zod';
import { PROVIDER_TYPES } from '../providers/registry.js';
import { suggestion } from './did-you-mean.js';
import { alertsSchema } from './alerts-schema.js';
import { vendorFeedsSchema } from './vendor-feeds-schema.js';
import { STATUS_STORE_KEYS, statusStoreFields } from './status-store-schema.js';
import { routingSchema } from './routing-schema.js';
import { AUTH_KEYS, authFields } from './guard-schema.js';
import { HARDENING_KEYS, refineHardening, serverHardeningFields } from './server-hardening-schema.js';
import { journalSchema } from './journal-schema.js';
import { CLOUD_PROVIDER_KEYS, cloudProviderFields } from './cloud-schema.js';
import { storageSchema } from './storage-schema.js';
import { drainSchema, metricsSchema, telemetrySchema } from './observability-schema.js';

export const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** Allowed keys per object, for "unknown key" messages with a did-you-mean. */
export const KEYS = {
  root: ['server', 'providers', 'models', 'routing', 'alerts', 'status', 'journal', 'storage', 'metrics', 'telemetry', ...AUTH_KEYS],
  server: ['host', 'port', 'max_body_bytes', 'public_url', 'playground', 'drain', ...HARDENING_KEYS],
  provider: ['name', 'type', 'base_url', 'api_key', 'headers', 'query', 'auth_header', ...CLOUD_PROVIDER_KEYS],
  model: ['name', 'targets', 'routing'],
  target: ['provider', 'model', 'weight'],
  status: ['vendor_feeds', ...STATUS_STORE_KEYS],
} as const;

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** Reports missing vs wrong type, without echoing the value. */
function expected(what: string) {
  return (iss: { input?: unknown }) => (iss.input === undefined ? `missing; expected ${what}` : `expected ${what}, got ${typeName(iss.input)}`);
}

const text = (what: string) => z.string({ error: expected(what) });
const nonEmpty = (what: string) => text(what).trim().min(1, { error: `must not be empty; expected ${what}` });

/** YAML turns `123` and `true` into non-strings; header and query values are strings on the wire. */
const scalarString = (what: string) =>
  z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), text(what));

/** Ports and sizes may come from `${PORT}` (a string) or YAML (a number). */
const integer = (what: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: expected(what) })
      .int({ error: `expected ${what}` })
      .min(min, { error: (iss) => `${String(iss.input)} is out of range; expected ${what}` })
      .max(max, { error: (iss) => `${String(iss.input)} is out of range; expected ${what}` }),
  );

/** An http(s) URL; trailing slashes are stripped so paths join cleanly. Only the scheme is echoed on error. */
export const httpUrl = (example: string) =>
  text(`an http(s) URL like ${example}`)
    .transform((s) => s.trim().replace(/\/+$/, ''))
    .check((ctx) => {
      if (!isHttpUrl(ctx.value)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `not a valid http(s) URL; expected something like ${example}`,
        });
      }
    });

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const PORT_WHAT = 'an integer from 0 to 65535 (0 = any free port)';
export const portSchema = integer(PORT_WHAT, 0, 65535);

const serverSchema = z
  .strictObject({
    host: nonEmpty('a host name or IP address like 127.0.0.1 or 0.0.0.0').optional(),
    port: portSchema.optional(),
    max_body_bytes: integer('a positive integer number of bytes', 1, Number.MAX_SAFE_INTEGER).optional(),
    public_url: httpUrl('https://gateway.example.com').optional(),
    playground: z.boolean({ error: 'expected true or false (serve the playground page at /playground)' }).optional(),
    drain: drainSchema.optional(),
    ...serverHardeningFields,
  })
  .superRefine(refineHardening);

const providerSchema = z.strictObject({
  name: nonEmpty('a name').regex(NAME_PATTERN, { error: 'may only contain letters, digits, "_", "." and "-"' }),
  type: z.enum(PROVIDER_TYPES, {
    error: (iss) =>
      iss.input === undefined
        ? `missing; expected one of ${PROVIDER_TYPES.join(', ')}`
        : typeof iss.input === 'string'
          ? `unknown provider type "${iss.input}"${suggestion(iss.input, PROVIDER_TYPES)}; expected one of ${PROVIDER_TYPES.join(', ')}`
          : `expected one of ${PROVIDER_TYPES.join(', ')}, got ${typeName(iss.input)}`,
  }),
  base_url: httpUrl('https://api.openai.com/v1').optional(),
  api_key: text('a string, usually ${SOME_API_KEY}').optional(),
  headers: z.record(z.string(), scalarString('a string'), { error: expected('a mapping of header names to values') }).optional(),
  query: z.record(z.string(), scalarString('a string'), { error: expected('a mapping of query parameter names to values') }).optional(),
  auth_header: nonEmpty('a header name like api-key').optional(),
  ...cloudProviderFields,
});

const targetSchema = z.strictObject(
  {
    provider: nonEmpty('the name of a provider'),
    model: nonEmpty('the upstream model id, e.g. gpt-4o-mini'),
    weight: z.number({ error: 'expected a positive number (share under the weighted strategy)' }).positive({ error: 'expected a positive number' }).optional(),
  },
  { error: expected('a mapping like { provider: openai-main, model: gpt-4o-mini }') },
);

const modelSchema = z.strictObject({
  name: nonEmpty('the model name clients send, e.g. chat').regex(/^\S+$/, { error: 'must not contain spaces' }),
  targets: z
    .array(targetSchema, { error: expected('a list of { provider, model } targets') })
    .min(1, { error: 'no targets; list at least one { provider, model }' }),
  routing: routingSchema.optional(),
});

export const configSchema = z.strictObject(
  {
    server: serverSchema.optional(),
    providers: z.array(providerSchema, { error: expected('a list of providers') }).optional(),
    models: z.array(modelSchema, { error: expected('a list of models') }).optional(),
    routing: routingSchema.optional(),
    alerts: alertsSchema.optional(),
    status: z.strictObject({ vendor_feeds: vendorFeedsSchema.optional(), ...statusStoreFields }, { error: expected('a mapping like { vendor_feeds: [...] }') }).optional(),
    ...authFields,
    journal: journalSchema.optional(),
    storage: storageSchema.optional(),
    metrics: metricsSchema.optional(),
    telemetry: telemetrySchema.optional(),
  },
  { error: expected('a mapping with server, providers and models') },
);

export type RawConfig = z.infer<typeof configSchema>;
