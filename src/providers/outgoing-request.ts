/** A request as it will go upstream, for a provider hook that adds headers made from it (signing, fresh tokens). */
export interface OutgoingRequest {
  method: 'GET' | 'POST';
  /** Absolute URL, query included. */
  url: string;
  /** The static headers (content type, accept, configured headers); never mutated by a hook. */
  headers: Record<string, string>;
  body: string;
}
