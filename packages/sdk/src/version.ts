// Kept equal to package.json's version by a test; importing package.json at runtime would need JSON
// import attributes, which Node 20 and TypeScript's NodeNext output do not agree on.

/** The version of `@notifykit/sdk`. */
export const SDK_VERSION = '0.1.0';

/** Sent as `User-Agent` on every gateway request. */
export const USER_AGENT = `notifykit/${SDK_VERSION}`;
