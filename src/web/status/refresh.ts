/** How often the status page reloads itself unless `?refresh=` says otherwise (seconds). */
export const DEFAULT_REFRESH_SECONDS = 30;
