/**
 * A `gemini` provider's base_url must end in an API version (`/v1beta`, `/v1`, `/v1alpha`): the
 * provider appends `/models/{model}:generateContent`, and Google answers 404 on every unversioned
 * path, with nothing at start-up to say why (issue #24). The mistake is natural: js-genai takes
 * the bare origin (`httpOptions.baseUrl`) and adds its `apiVersion` (v1beta by default) itself.
 *
 * Fix or warn: a bare origin is fixed (v1beta appended, with a note saying so), because nothing
 * else can be meant there: the API has no unversioned routes, and v1beta is what js-genai and our
 * own default use. A URL with some other path (a proxy such as Cloudflare AI Gateway's
 * `.../google-ai-studio`) is only warned about: the layout below it is the proxy's, and
 * appending a version we guessed could be wrong.
 */

/** The last path segment is an API version: v1, v1beta, v1alpha, v1beta1... */
const VERSION = /^v\d+(?:(?:alpha|beta)\d*)?$/;

export function checkGeminiBaseUrl(provider: string, baseUrl: string): { baseUrl: string; note?: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { baseUrl }; // the schema reports invalid URLs
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (VERSION.test(segments.at(-1) ?? '')) return { baseUrl };
  if (segments.length === 0) {
    const fixed = `${baseUrl.replace(/\/+$/, '')}/v1beta`;
    return {
      baseUrl: fixed,
      note: `provider ${provider}: base_url ${baseUrl} has no API version path, which Gemini answers with 404 on every call; using ${fixed} (write it in the configuration to silence this note)`,
    };
  }
  return {
    baseUrl,
    note: `warning: provider ${provider}: base_url ${baseUrl} does not end in an API version (/v1beta, /v1); Gemini answers 404 on unversioned paths, so unless this proxy adds one, append /v1beta`,
  };
}
