/** The text the simulators answer to a prompt (their answers depend only on the last user text): what a test expects back. */
import assert from 'node:assert/strict';
import { planAnswer } from '../sim/script.js';

export function simAnswerText(prompt: string): string {
  const a = planAnswer({ model: '', lastUserText: prompt, tools: [], inputTokens: 0 });
  assert.ok(a.kind === 'text', `the simulators answer "${prompt}" with text`);
  return a.text;
}
