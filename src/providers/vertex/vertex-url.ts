/**
 * Vertex AI endpoints by location (Vertex AI "Locations" and the Anthropic Vertex SDK's client):
 * `global` is served at aiplatform.googleapis.com, the `us` and `eu` multi-regions at their
 * regional-endpoint hosts, any other region at `{region}-aiplatform.googleapis.com`.
 */
export function vertexBaseUrl(region: string): string {
  if (region === 'global') return 'https://aiplatform.googleapis.com/v1';
  if (region === 'us' || region === 'eu') return `https://aiplatform.${region}.rep.googleapis.com/v1`;
  return `https://${region}-aiplatform.googleapis.com/v1`;
}

/** `{base}/projects/{project}/locations/{region}/publishers/{publisher}/models/{model}`; a model's `@version` stays readable. */
export function vertexModelUrl(base: string, project: string, region: string, publisher: 'anthropic' | 'google', model: string): string {
  const id = model.split('/').map((s) => encodeURIComponent(s).replace(/%40/g, '@')).join('/');
  return `${base}/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(region)}/publishers/${publisher}/models/${id}`;
}
