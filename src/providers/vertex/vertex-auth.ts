/**
 * The bearer token a Vertex provider sends: a fixed one from the configuration (`api_key`, e.g.
 * from `gcloud auth print-access-token` for a short test), else Google OAuth tokens kept and
 * refreshed ahead of expiry (google-token-source.ts). Shared by vertex-anthropic and vertex-gemini.
 */
import type { OutgoingRequest } from '../outgoing-request.js';
import { credentialsUnavailable, RefreshingCredential } from '../refreshing-credential.js';
import type { ProviderConfig, ProviderDeps } from '../types.js';
import { googleTokenSource } from './google-token-source.js';

export class VertexAuth {
  private readonly tokens: RefreshingCredential<string> | undefined;

  constructor(
    private readonly config: ProviderConfig,
    deps: ProviderDeps,
  ) {
    if (config.apiKey !== undefined && config.apiKey !== '') return;
    const clock = deps.clock;
    const source = deps.googleToken ?? googleTokenSource({ credentialsFile: config.credentialsFile, env: deps.env ?? process.env, clock });
    this.tokens = new RefreshingCredential(source, clock);
  }

  /** The request's headers with its Authorization; rejects with a typed error when no token can be had. */
  headers(req: OutgoingRequest): Promise<Record<string, string>> {
    if (!this.tokens) return Promise.resolve({ ...req.headers, authorization: `Bearer ${this.config.apiKey}` });
    return this.tokens.get().then(
      (token) => ({ ...req.headers, authorization: `Bearer ${token}` }),
      (e: unknown) => {
        throw credentialsUnavailable(this.config.name, 'a Google access token', e);
      },
    );
  }

  /** The upstream rejected the token (revoked, expired early): fetch a new one for the next request. */
  rejected(): void {
    this.tokens?.invalidate();
  }
}
