/**
 * The configuration a drill uses when the user has none: three providers, one alias trying
 * them in order (what switchyard.example.yaml starts with), so `switchyard drill <scenario>`
 * shows failover on a fresh checkout. Base URLs and keys are never used: a drill replaces
 * every provider with a simulator.
 */
import type { GatewayConfig } from '../config/types.js';

export function defaultDrillConfig(): GatewayConfig {
  return {
    server: { host: '127.0.0.1', port: 0, maxBodyBytes: 10 * 1024 * 1024 },
    providers: [
      { name: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', headers: {}, query: {} },
      { name: 'anthropic', type: 'anthropic', baseUrl: 'https://api.anthropic.com', headers: {}, query: {} },
      { name: 'gemini', type: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com/v1beta', headers: {}, query: {} },
    ],
    models: [
      {
        name: 'chat',
        targets: [
          { provider: 'openai', model: 'gpt-4o-mini' },
          { provider: 'anthropic', model: 'claude-haiku-4-5' },
          { provider: 'gemini', model: 'gemini-2.5-flash' },
        ],
      },
    ],
    source: 'built-in example (openai -> anthropic -> gemini)',
    notes: [],
  };
}
