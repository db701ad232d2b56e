/**
 * The shape of a scenario file (snake_case, as people write it), in zod, with messages in
 * the configuration's style (src/config/schema.ts): what was expected, never a stack.
 * Cross-references (phase names, coupling sources) and the timeline's order are checked in
 * parse-scenario.ts, so they are reported together with shape problems.
 */
import { z } from 'zod';
import { typeName } from '../config/schema.js';
import { parseDuration } from './scenario-time.js';

/** Allowed keys per object, for "unknown key" messages with a did-you-mean. */
export const SCENARIO_KEYS = {
  root: ['name', 'title', 'source', 'description', 'seed', 'start', 'end', 'duration', 'assumptions', 'load', 'phases', 'providers'],
  load: ['rate_per_min', 'arrivals', 'stream', 'formats', 'answer_words', 'give_up', 'models'],
  phase: ['name', 'at', 'load'],
  provider: ['match', 'latency', 'capacity', 'base_load', 'coupling', 'phases', 'models'],
  latency: ['ttft', 'per_word'],
  condition: ['fail', 'ramp', 'faults', 'latency', 'capacity', 'base_load', 'stagger'],
  model: ['match', 'phases'],
  coupling: ['from', 'share'],
  fault: ['share', 'status', 'retry_after', 'quota', 'body', 'content_type', 'overloaded', 'edge', 'refuse', 'stall', 'stall_after', 'for', 'cut_after', 'malformed_after', 'continue', 'error_event_after', 'trickle'],
} as const;

/** The keys that name what a failing request gets; a fault has exactly one. */
export const FAULT_KINDS = ['status', 'overloaded', 'edge', 'refuse', 'stall', 'stall_after', 'cut_after', 'malformed_after', 'error_event_after', 'trickle'] as const;

export const CLIENT_FORMATS = ['openai-chat', 'anthropic-messages', 'openai-responses'] as const;

function expected(what: string) {
  return (iss: { input?: unknown }) => (iss.input === undefined ? `missing; expected ${what}` : `expected ${what}, got ${typeName(iss.input)}`);
}

const text = (what: string) => z.string({ error: expected(what) }).trim().min(1, { error: `must not be empty; expected ${what}` });
const num = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: expected(what) })
    .min(min, { error: (iss) => `${String(iss.input)} is out of range; expected ${what}` })
    .max(max, { error: (iss) => `${String(iss.input)} is out of range; expected ${what}` });
const int = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) => num(what, min, max).int({ error: `expected ${what}` });
const share = (what = 'a share from 0 to 1') => num(what, 0, 1);

/** A duration like 90s, 20m, 1h30m, or a number of seconds; kept as written, parsed by the resolver. */
const duration = (what = 'a duration like 90s, 20m or 1h30m') =>
  z.union([z.string(), z.number()], { error: expected(what) }).check((ctx) => {
    if (parseDuration(ctx.value) === undefined) ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${String(ctx.value)}" is not a duration; expected ${what}` });
  });

const latencySchema = z.strictObject({ ttft: duration().optional(), per_word: duration().optional() }, { error: expected('a mapping like { ttft: 600ms, per_word: 25ms }') });

const faultSchema = z
  .strictObject(
    {
      share: num('a positive weight', 0).optional(),
      status: int('an HTTP status from 400 to 599', 400, 599).optional(),
      retry_after: duration().optional(),
      quota: z.boolean({ error: 'expected true or false' }).optional(),
      body: z.string({ error: expected('the exact response body, as text') }).optional(),
      content_type: text('a content type like application/json').optional(),
      overloaded: z.literal(true, { error: 'expected true (the provider’s own over-capacity answer)' }).optional(),
      edge: z.union([z.literal(502), z.literal(503), z.literal(504)], { error: 'expected 502, 503 or 504 (an edge/CDN HTML error page)' }).optional(),
      refuse: z.literal(true, { error: 'expected true (the connection is dropped as soon as it is made)' }).optional(),
      stall: z.union([z.literal('forever'), duration('a duration like 40s, or forever')]).optional(),
      stall_after: int('a number of chunks (0 or more)', 0).optional(),
      for: z.union([z.literal('forever'), duration('a duration like 40s, or forever')]).optional(),
      cut_after: int('a number of chunks (0 or more)', 0).optional(),
      malformed_after: int('a number of chunks (0 or more)', 0).optional(),
      continue: z.boolean({ error: 'expected true or false' }).optional(),
      error_event_after: int('a number of chunks (0 or more)', 0).optional(),
      trickle: duration('a time per word like 2s').optional(),
    },
    { error: expected(`a mapping with one of ${FAULT_KINDS.join(', ')}, e.g. { status: 503, share: 0.8 }`) },
  )
  .check((ctx) => {
    const kinds = FAULT_KINDS.filter((k) => ctx.value[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message:
          kinds.length === 0
            ? `says nothing about what fails; expected one of ${FAULT_KINDS.join(', ')}`
            : `names ${kinds.join(' and ')}; a fault is exactly one of ${FAULT_KINDS.join(', ')} (list several faults with shares instead)`,
      });
      return;
    }
    const kind = kinds[0]!;
    const extras: [string, string][] = [
      ['retry_after', 'status'],
      ['quota', 'status'],
      ['body', 'status'],
      ['content_type', 'status'],
      ['for', 'stall_after'],
      ['continue', 'malformed_after'],
    ];
    for (const [key, owner] of extras) {
      if (ctx.value[key as keyof typeof ctx.value] !== undefined && kind !== owner) {
        ctx.issues.push({ code: 'custom', input: ctx.value, path: [key], message: `only goes with ${owner}, not with ${kind}` });
      }
    }
  });

const conditionSchema = z.strictObject(
  {
    fail: share('a failing share from 0 to 1').optional(),
    ramp: duration().optional(),
    faults: z.array(faultSchema, { error: expected('a list of faults') }).optional(),
    latency: latencySchema.optional(),
    capacity: int('a number of concurrent requests (1 or more)', 1).optional(),
    base_load: num('a number of concurrent requests (0 or more)', 0).optional(),
    stagger: duration().optional(),
  },
  { error: expected('a mapping like { fail: 1, faults: [{ status: 503 }] }') },
);

const phaseConditions = z.record(z.string(), conditionSchema, { error: expected('a mapping of phase names to conditions') });

const providerSchema = z.strictObject(
  {
    match: text('a vendor (openai, anthropic, gemini, perplexity, azure) or a provider name of your configuration'),
    latency: latencySchema.optional(),
    capacity: int('a number of concurrent requests (1 or more)', 1).optional(),
    base_load: num('a number of concurrent requests (0 or more)', 0).optional(),
    coupling: z
      .array(z.strictObject({ from: text('another provider entry’s match'), share: share() }, { error: expected('a mapping like { from: openai, share: 0.25 }') }), {
        error: expected('a list like [{ from: openai, share: 0.25 }]'),
      })
      .optional(),
    phases: phaseConditions.optional(),
    models: z
      .array(z.strictObject({ match: text('a model id or a glob like gpt-4o*'), phases: phaseConditions }, { error: expected('a mapping like { match: "gpt-4o*", phases: {...} }') }), {
        error: expected('a list of per-model overrides'),
      })
      .optional(),
  },
  { error: expected('a mapping like { match: openai, phases: {...} }') },
);

const loadSchema = z.strictObject(
  {
    rate_per_min: num('a rate in requests per minute (more than 0)', 0.001),
    arrivals: z.enum(['poisson', 'even'], { error: 'expected poisson or even' }).optional(),
    stream: share('the share of streamed requests, from 0 to 1').optional(),
    formats: z.partialRecord(z.enum(CLIENT_FORMATS, { error: `expected a client format: ${CLIENT_FORMATS.join(', ')}` }), num('a positive weight', 0)).optional(),
    answer_words: z.tuple([int('a word count from 1 to 2000', 1, 2000), int('a word count from 1 to 2000', 1, 2000)], { error: expected('[min, max] words, e.g. [20, 80]') }).optional(),
    give_up: duration().optional(),
    models: z.array(text('a model alias of your configuration'), { error: expected('a list of aliases') }).optional(),
  },
  { error: expected('a mapping like { rate_per_min: 20 }') },
);

export const scenarioSchema = z.strictObject(
  {
    name: text('the scenario’s name').regex(/^[A-Za-z0-9_.-]+$/, { error: 'may only contain letters, digits, "_", "." and "-"' }),
    title: text('a one-line title'),
    source: text('where the facts come from').optional(),
    description: text('a description').optional(),
    seed: int('an integer seed', 0).optional(),
    start: text('an ISO time like 2024-06-04T06:30:00Z'),
    end: text('a phase-style time like 17:30, +11h or an ISO time').optional(),
    duration: duration().optional(),
    assumptions: z.array(text('a sentence'), { error: expected('a list of sentences') }).optional(),
    load: loadSchema,
    phases: z
      .array(z.strictObject({ name: text('a phase name'), at: z.union([z.string(), z.number()], { error: expected('a time like 06:49, +19m or an ISO time') }).optional(), load: num('a multiple of the rate (0 or more)', 0).optional() }, { error: expected('a mapping like { name: outage, at: "06:49" }') }), {
        error: expected('a list of phases'),
      })
      .min(1, { error: 'no phases; list at least one { name, at }' }),
    providers: z.array(providerSchema, { error: expected('a list of providers') }).optional(),
  },
  { error: expected('a mapping with name, title, start, load and phases') },
);

export type RawScenario = z.infer<typeof scenarioSchema>;
export type RawCondition = z.infer<typeof conditionSchema>;
export type RawFault = z.infer<typeof faultSchema>;
export type RawLatency = z.infer<typeof latencySchema>;
