/**
 * Model aliases -> ordered targets, built once from config. Resolving an
 * unknown alias is a client error that lists what is available.
 */
import { gatewayError } from '../core/errors.js';
import type { Provider } from '../providers/types.js';
import type { RoutePolicy } from './policy.js';

export interface Target {
  provider: Provider;
  /** The upstream model id. */
  model: string;
  /** `provider/model`, for headers, logs and error summaries. */
  label: string;
  /** Share of traffic under the weighted strategy (default 1). */
  weight?: number;
}

export interface Route {
  alias: string;
  targets: Target[];
  /** Resilience settings; DEFAULT_POLICY when absent. */
  policy?: RoutePolicy;
}

export class RouteTable {
  private readonly routes = new Map<string, Route>();

  constructor(routes: Route[]) {
    for (const r of routes) this.routes.set(r.alias, r);
  }

  aliases(): string[] {
    return [...this.routes.keys()];
  }

  /** Every route, in configuration order. */
  all(): Route[] {
    return [...this.routes.values()];
  }

  resolve(alias: string): Route {
    const r = this.routes.get(alias);
    if (r) return r;
    const available = this.aliases();
    // The name as sent, clipped: an error never echoes kilobytes back.
    const name = alias.length > 200 ? `${alias.slice(0, 200)}…` : alias;
    throw gatewayError('model_not_found', available.length === 0
          ? `The model '${name}' does not exist: this gateway has no models configured.`
          : `The model '${name}' does not exist on this gateway. Available models: ${available.join(', ')}.`, { param: 'model' });
  }
}
