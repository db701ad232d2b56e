export * from './types.js';
export { parseFeed, type FeedDocuments } from './parse-feed.js';
export { parseStatuspage } from './statuspage.js';
export { parseIncidentIo } from './incident-io.js';
export { parseInstatus } from './instatus.js';
export { parseGoogleCloud, DEFAULT_GEMINI_PRODUCTS } from './google-cloud.js';
export { VendorFeedPoller, FeedFetchError, type FeedFetch, type FeedResponse, type VendorFeedPollerOptions } from './poller.js';
