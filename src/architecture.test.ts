/**
 * The architecture is a checked rule, not a comment: `npm run lint` fails on an import against
 * DESIGN.md's dependency direction and on an import cycle. Shown here by linting code that
 * breaks each rule, with the project's own ESLint configuration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint({
  // The typed rules need a real file in the TS project; these probes check only import rules.
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } }, rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' } },
});

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

test('an import against the dependency direction fails lint: core may not import http', async () => {
  const ids = await ruleIds("import { sendJson } from '../http/respond.js';\nexport const x = sendJson;\n", 'src/core/probe-violation.ts');
  assert.deepEqual(ids, ['import-x/no-restricted-paths']);
});

test('routing may not import the HTTP layer, but may import storage interfaces', async () => {
  assert.deepEqual(await ruleIds("import type { Logger } from '../http/logger.js';\nexport type X = Logger;\n", 'src/routing/probe-violation.ts'), ['import-x/no-restricted-paths']);
  assert.deepEqual(await ruleIds("import type { CooldownStore } from '../storage/cooldown-store.js';\nexport type X = CooldownStore;\n", 'src/routing/probe-ok.ts'), []);
});

test('an import cycle fails lint', async () => {
  // routing/router-state.ts makes TargetStates; target-state.ts importing it back closes a circle.
  const ids = await ruleIds("import { RouterState } from './router-state.js';\nexport const x = RouterState;\n", 'src/routing/target-state.ts');
  assert.ok(ids.includes('import-x/no-cycle'), ids.join(', '));
});
