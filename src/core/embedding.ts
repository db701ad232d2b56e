/** Canonical embeddings request and response. */

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
  /** OpenAI `encoding_format`; `base64` is produced by the OpenAI ingress encoder. */
  encodingFormat?: 'float' | 'base64';
  user?: string;
}

export interface EmbeddingResponse {
  model: string;
  embeddings: number[][];
  usage: { inputTokens: number };
}
