#!/usr/bin/env node
// Writes docs/errors.md from the error catalogue (src/core/error-codes.ts): run after adding a code.
//   node --import tsx scripts/errors-doc.mjs
import { writeFileSync } from 'node:fs';
import { ERROR_CODES } from '../src/core/error-codes.ts';

const rows = Object.entries(ERROR_CODES).map(([code, c]) => `| \`${code}\` | ${c.status} | ${c.kind} | ${c.means} |`);
const doc = `# Error codes

Every error Switchyard raises has a stable \`code\`. OpenAI-format clients get it as \`error.code\`
(for an OpenAI upstream's own error, its own code is passed through instead); Anthropic-format
errors have no code field (their \`error.type\` follows the status); the gateway's log lines carry
the code either way.
Codes are an API: they are never reused for another meaning and never renamed. The status is the
default HTTP status; for errors an upstream answered (\`upstream_*\`), the upstream's own status is
kept. The kind decides what the gateway does: \`client_error\` and \`auth\` go back as they are;
\`rate_limited\` waits for the provider's Retry-After on that target; \`quota_exhausted\` parks the
credential; \`overloaded\`, \`transient\`, \`timeout\`, \`stalled\` and \`cut\` fail over within the
retry budget (see [failover.md](failover.md)).

This table is generated from \`src/core/error-codes.ts\` (\`node --import tsx scripts/errors-doc.mjs\`);
a test fails when the two differ.

| code | status | kind | what it means |
|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync(new URL('../docs/errors.md', import.meta.url), doc);
