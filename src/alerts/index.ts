export { AlertDispatcher, type AlertDispatcherOptions, type AlertStats, type DeliveryReport, type TargetStats } from './dispatcher.js';
export { deliverOnce, type AttemptResult } from './deliver.js';
export { createHttpAlertSender } from './http-sender.js';
export { maskUrl, scrubSecrets } from './mask-url.js';
export { formatAlert } from './formats/index.js';
export { WEBHOOK_BODY_VERSION, type WebhookBody } from './formats/webhook.js';
export * from './types.js';
