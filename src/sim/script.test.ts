import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens, planAnswer, readTurns, toolArguments, DEFAULT_ANSWER_WORDS } from './script.js';
import { CONTINUE_INSTRUCTION } from '../core/request.js';

const base = { model: 'm', lastUserText: 'hello', tools: [], inputTokens: 3 };

test('text answers are deterministic per model and prompt', () => {
  const a = planAnswer(base);
  assert.equal(a.kind, 'text');
  assert.deepEqual(a, planAnswer(base));
  assert.deepEqual(a, planAnswer({ ...base, model: 'other' }), 'any model gives the same answer, so any target can continue another');
  assert.notDeepEqual(a, planAnswer({ ...base, lastUserText: 'bye' }));
  assert.equal(a.kind === 'text' && a.chunks.length, DEFAULT_ANSWER_WORDS);
  assert.equal(a.kind === 'text' && a.chunks.join(''), a.kind === 'text' && a.text);
});

test('"reply with N words" sets the length; max tokens cut with finish length', () => {
  const long = planAnswer({ ...base, lastUserText: 'please reply with 100 words' });
  assert.equal(long.kind === 'text' && long.chunks.length, 100);
  const cut = planAnswer({ ...base, maxTokens: 4 });
  assert.ok(cut.kind === 'text' && cut.finish === 'length' && cut.chunks.length === 4);
});

test('a stop sequence truncates before it', () => {
  const full = planAnswer(base);
  assert.ok(full.kind === 'text');
  const word = full.text.split(' ')[3]!;
  const stopped = planAnswer({ ...base, stop: [` ${word}`] });
  assert.ok(stopped.kind === 'text');
  assert.equal(stopped.finish, 'stop_sequence');
  assert.equal(stopped.stopSequence, ` ${word}`);
  assert.equal(stopped.text, full.text.slice(0, full.text.indexOf(` ${word}`)));
});

test('tools: a call with schema-derived arguments, then an answer quoting the result', () => {
  const tool = { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' }, days: { type: 'integer' } }, required: ['location', 'days'] } };
  const call = planAnswer({ ...base, tools: [tool] });
  assert.ok(call.kind === 'tool');
  assert.deepEqual(JSON.parse(call.args), { location: 'Paris', days: 42 });
  assert.equal(call.argChunks.join(''), call.args);
  assert.equal(toolArguments(tool), call.args);
  const none = planAnswer({ ...base, tools: [tool], toolChoice: 'none' });
  assert.equal(none.kind, 'text');
  const answer = planAnswer({ ...base, tools: [tool], toolResult: { content: 'sunny' } });
  assert.ok(answer.kind === 'text' && answer.text === 'The tool returned: sunny');
});

test('countTokens counts words and punctuation', () => {
  assert.equal(countTokens('Hello, world!'), 4);
  assert.equal(countTokens(''), 0);
});

test('continuations: the answer is the rest after the partial text, however the partial ends', () => {
  const full = planAnswer(base);
  assert.ok(full.kind === 'text');
  for (const cut of [1, 7, 30, full.text.length - 1]) {
    const rest = planAnswer({ ...base, prefill: full.text.slice(0, cut) });
    assert.ok(rest.kind === 'text');
    assert.equal(full.text.slice(0, cut) + rest.text, full.text, `cut at ${cut}`);
  }
});

test('readTurns finds the prompt and the partial answer in both continuation styles', () => {
  const u = (text: string) => ({ role: 'user' as const, text });
  const a = (text: string) => ({ role: 'assistant' as const, text });
  assert.deepEqual(readTurns([u('q')]), { lastUserText: 'q' });
  assert.deepEqual(readTurns([u('q'), a('part')]), { lastUserText: 'q', prefill: 'part' });
  assert.deepEqual(readTurns([u('q'), a('part'), u(CONTINUE_INSTRUCTION)]), { lastUserText: 'q', prefill: 'part' });
  assert.deepEqual(readTurns([u('q1'), a('answer'), u('q2')]), { lastUserText: 'q2' });
});
