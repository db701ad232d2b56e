/**
 * Upstream error messages can echo credentials: OpenAI's 401 says
 * "Incorrect API key provided: sk-abc***xyz". Keys never reach clients or logs
 * (common brief), so key-looking fragments become "[redacted]".
 */
const PATTERNS: RegExp[] = [
  // "API key provided: <anything up to whitespace>", minus a sentence-ending period.
  /(API key provided:\s*)[^\s]+?(?=\.?(?:\s|$))/gi,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{6,}/g,
  // OpenAI / Anthropic / OpenRouter style keys (sk-..., sk-proj-..., sk-ant-...), masked or not.
  /()\bsk-[A-Za-z0-9_*.-]{3,}/g,
  // Other vendors' key shapes seen behind openai-compatible base URLs: Perplexity, Groq, xAI, Google.
  /()\b(?:pplx-|gsk_|xai-)[A-Za-z0-9_*.-]{8,}/g,
  /()\bAIza[A-Za-z0-9_-]{20,}/g,
  // Azure OpenAI keys: 32 hex digits standing alone (request ids carry a prefix like req_, so they stay).
  /()\b[a-fA-F0-9]{32}\b/g,
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const re of PATTERNS) out = out.replace(re, (_m, prefix: string) => `${prefix}[redacted]`);
  return out;
}
