/**
 * Puts the playground's routes in front of a gateway's own request listener, for `demo` and
 * for `serve` with `server.playground: true`. The gateway's route table (src/http/server.ts)
 * is being moved by the composition-root reshape (issue #23); once it lists the playground's
 * routes, this file goes away.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { handlePlayground, PLAYGROUND_PATHS, type PlaygroundDeps } from '../http/playground-handler.js';

export function mountPlayground(server: Server, deps: PlaygroundDeps): void {
  const gateway = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if ((PLAYGROUND_PATHS as readonly string[]).includes(path)) return handlePlayground(deps, req, res);
    for (const listener of gateway) listener(req, res);
  });
}
