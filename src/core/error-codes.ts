/**
 * Every stable error code, once (model: fastify's lib/errors.js): its HTTP status (for upstream
 * errors, the status the upstream sent is kept instead), its kind — which decides retry, breaker
 * and failover (routing/classify.ts) — and what it means. Codes are an API: clients and alert
 * rules match on them, so a code is never reused for another meaning and never renamed.
 * docs/errors.md lists them all (a test keeps the two in step).
 */

export type ErrorKind =
  /** The request itself is wrong (400, 404 model, 413, 415, 422): never retried, never the provider's fault. */
  | 'client_error'
  /** Bad or missing credentials (401) or not allowed (403). */
  | 'auth'
  /** Rate limit: wait for the reset on that credential, use other capacity meanwhile. */
  | 'rate_limited'
  /** Quota or spend limit exhausted: park the credential until reset, never retry on it. */
  | 'quota_exhausted'
  /** Provider says it is overloaded (Anthropic 529, Perplexity "at capacity", 503). */
  | 'overloaded'
  /** 5xx, connection refused/reset, edge errors. */
  | 'transient'
  /** No answer within a deadline or time-to-first-token limit. */
  | 'timeout'
  /** Bytes stopped flowing mid-stream longer than the idle limit. */
  | 'stalled'
  /** The upstream ended the stream without its format's proper end, or sent a malformed frame. */
  | 'cut'
  /** The gateway has no target that can serve (all failed, all parked, none configured). */
  | 'unavailable'
  /** A bug or unexpected condition inside the gateway. */
  | 'internal';

interface CodeSpec {
  status: number;
  kind: ErrorKind;
  /** One line for docs/errors.md: what happened, and what to do. */
  means: string;
}

const spec = (status: number, kind: ErrorKind, means: string): CodeSpec => ({ status, kind, means });

export const ERROR_CODES = {
  // The request itself (400s): never retried, never the provider's fault.
  invalid_request: spec(400, 'client_error', 'A field has a value the API does not accept; the message and `param` name it.'),
  missing_required_parameter: spec(400, 'client_error', 'A required field is missing; `param` names it.'),
  unsupported_parameter: spec(400, 'client_error', 'A parameter this gateway does not support (yet); the message says what to send instead.'),
  unsupported_content: spec(400, 'client_error', 'A content part this gateway cannot carry (e.g. file ids), or no target of the alias can represent it.'),
  empty_messages: spec(400, 'client_error', 'The conversation has no messages.'),
  invalid_image_url: spec(400, 'client_error', 'An image URL that is neither http(s) nor a base64 data URL.'),
  invalid_tool_arguments: spec(400, 'client_error', "A tool call's arguments are not a JSON object."),
  invalid_json: spec(400, 'client_error', 'The body is not valid JSON.'),
  invalid_body: spec(400, 'client_error', 'The body is JSON but not an object.'),
  empty_body: spec(400, 'client_error', 'The body is empty.'),
  nested_too_deeply: spec(400, 'client_error', 'The body is nested thousands of levels deep; nothing was sent upstream.'),
  body_timeout: spec(408, 'client_error', 'The request body did not arrive within `server.body_read_timeout_ms` (30 s by default) once its head was in; the connection is closed.'),
  bad_http_request: spec(400, 'client_error', 'The bytes were not a valid HTTP request (431 for oversized headers, 408 for a request not received in time).'),
  image_url_unsupported: spec(400, 'client_error', 'An image given by URL to a target that cannot fetch URLs (Gemini); another target of the alias may take it.'),
  unsupported_by_target: spec(400, 'client_error', "A parameter the target's API cannot honour (e.g. `logprobs` or `json_object` to Anthropic, `reasoning_effort` to a model that does not think); the alias's next target that can takes it, else this 400 names the field."),
  unknown_tool_call: spec(400, 'client_error', 'A tool result whose call is not in the conversation, for a target that needs the call (Gemini).'),
  embeddings_unsupported: spec(400, 'client_error', 'The alias points at a provider with no embeddings API.'),
  model_not_found: spec(404, 'client_error', 'No alias of that name on this gateway; the message lists the available ones.'),
  unknown_route: spec(404, 'client_error', 'No such endpoint (a missing /v1 in the base URL is the usual cause; the message says so).'),
  method_not_allowed: spec(405, 'client_error', 'The endpoint exists but not with this HTTP method.'),
  request_too_large: spec(413, 'client_error', 'The body is over `server.max_body_bytes`.'),
  unsupported_media_type: spec(415, 'client_error', 'The body was not sent as `Content-Type: application/json`.'),

  // What an upstream answered (the upstream's status is kept).
  upstream_invalid_request: spec(400, 'client_error', 'The provider refused the request as invalid; it goes back to the client as is.'),
  upstream_not_found: spec(404, 'client_error', 'The provider does not know the model (or the base_url lacks its version path).'),
  upstream_auth_failed: spec(401, 'auth', "The provider refused the gateway's credential (401/403): check the provider's api_key."),
  upstream_rate_limited: spec(429, 'rate_limited', 'The provider rate-limited this target; it waits exactly as long as the provider said while others serve.'),
  upstream_quota_exhausted: spec(429, 'quota_exhausted', "The credential's quota or spend limit is exhausted; it is parked until its reset."),
  upstream_overloaded: spec(529, 'overloaded', 'The provider is overloaded (529, 503, "at capacity"); the next target answers.'),
  upstream_error: spec(500, 'transient', 'The provider failed (5xx); the next target answers.'),
  upstream_timeout: spec(504, 'timeout', 'The provider did not answer within the attempt timer.'),
  upstream_stalled: spec(504, 'stalled', 'A stream stopped sending in the middle of the answer for longer than the idle limit.'),
  upstream_cut: spec(502, 'cut', 'The connection was lost before the whole answer arrived.'),
  upstream_stream_cut: spec(502, 'cut', 'A stream ended before the answer was complete (no proper end).'),
  upstream_unavailable: spec(503, 'unavailable', 'The provider answered that it is unavailable.'),
  upstream_unreachable: spec(502, 'transient', 'The provider could not be reached (refused, reset, DNS).'),
  upstream_malformed: spec(502, 'transient', 'A 2xx answer that is not the JSON asked for (empty, HTML, broken JSON, no candidate).'),
  upstream_malformed_frame: spec(502, 'cut', 'A stream frame that is not valid JSON or not the expected shape.'),
  upstream_not_streaming: spec(502, 'cut', 'A streamed request answered with JSON or HTML, not an event stream.'),
  upstream_event_too_large: spec(502, 'cut', 'A stream event over 16 MiB; the stream was dropped.'),
  upstream_too_large: spec(502, 'transient', 'An answer over 64 MiB (512 MiB for embeddings); it was dropped.'),
  upstream_credentials_unavailable: spec(502, 'transient', "The gateway could not obtain a cloud credential for the target (no AWS credentials, no Google token); the next target answers."),
  upstream_redirect: spec(502, 'transient', "A redirect, which the gateway does not follow: check the provider's base_url."),
  ttft_timeout: spec(504, 'timeout', 'A stream sent no first token within the time-to-first-token limit.'),

  // The guard: who may use the gateway, and how much (docs/guard.md).
  invalid_api_key: spec(401, 'auth', 'No virtual key, or one this gateway did not issue (`auth: keys`).'),
  key_revoked: spec(401, 'auth', 'The virtual key was revoked.'),
  key_expired: spec(401, 'auth', 'The virtual key is past its expiry.'),
  key_rotated: spec(401, 'auth', 'The virtual key was replaced and its grace period has ended: use the new one.'),
  alias_not_allowed: spec(403, 'auth', 'The virtual key may not use this model alias.'),
  rate_limited: spec(429, 'rate_limited', "A key's, team's or address's requests or tokens per minute are used up; Retry-After is the real time until this request would pass."),
  too_many_concurrent_requests: spec(429, 'rate_limited', "The key's concurrent requests are at their limit."),
  request_exceeds_limit: spec(429, 'client_error', 'The request alone is larger than a limit (e.g. its tokens above the whole TPM): waiting never helps.'),
  budget_exhausted: spec(429, 'quota_exhausted', "The key's or team's spend budget for the period is spent; it resets at the period's end."),
  gateway_overloaded: spec(503, 'overloaded', 'The gateway itself is over its line and shed the request fast; the provider is not at fault.'),

  // The journal: stored conversations and responses (docs/journal.md).
  not_found: spec(404, 'client_error', "No stored conversation or response with that id that this key may see (or an unknown path under it)."),
  previous_response_not_found: spec(400, 'client_error', '`previous_response_id` names a response that is not stored (or not this key\'s): store it with `store: true`.'),
  unexportable: spec(422, 'client_error', 'The conversation cannot be written in the export format asked for (e.g. content that format cannot carry).'),

  // The gateway's own decisions.
  request_aborted: spec(499, 'cut', 'The client went away (or the attempt was abandoned); nothing more is sent.'),
  deadline_exceeded: spec(504, 'timeout', "No answer within the request's one deadline (deadline_ms, or the SDK's own timeout)."),
  retry_budget_exhausted: spec(503, 'unavailable', 'Not retried: retries are capped (about 10% of first attempts) so they cannot amplify an outage.'),
  hedge_lost: spec(499, 'cut', 'A hedged attempt cancelled because another target answered first.'),
  target_unavailable: spec(503, 'unavailable', 'A target skipped without an attempt: parked, circuit open, or at its concurrency limit.'),
  no_target_available: spec(503, 'unavailable', 'No target could serve; the message lists each target tried and why, with Retry-After and the status page.'),
  internal_error: spec(500, 'internal', 'A bug in the gateway; it is logged with the request id, and says nothing about any provider.'),
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;
