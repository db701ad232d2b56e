/**
 * The request every benchmark sends, per wire format: the same prompt in OpenAI Chat Completions
 * and Anthropic Messages (the simulated answer depends only on the user text, so the answers
 * match too), the path it goes to, and what a complete stream ends with.
 */
export function benchRequest(format) {
  const anthropic = format === 'anthropic';
  return {
    path: anthropic ? '/v1/messages' : '/v1/chat/completions',
    /** OpenAI's `data: [DONE]`, Anthropic's `message_stop` event. */
    streamEnd: anthropic ? 'message_stop' : '[DONE]',
    body: (stream) =>
      anthropic
        ? JSON.stringify({ model: 'bench', max_tokens: 1024, system: 'You are a helpful assistant.', messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], stream })
        : JSON.stringify({ model: 'bench', messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Say hello to the benchmark.' }], stream }),
  };
}
