import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens, planAnswer, toolArguments, DEFAULT_ANSWER_WORDS } from './script.js';

const base = { model: 'm', lastUserText: 'hello', tools: [], inputTokens: 3 };

test('text answers are deterministic per model and prompt', () => {
  const a = planAnswer(base);
  assert.equal(a.kind, 'text');
  assert.deepEqual(a, planAnswer(base));
  assert.notEqual((a as { text: string }).text, (planAnswer({ ...base, model: 'other' }) as { text: string }).text);
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
