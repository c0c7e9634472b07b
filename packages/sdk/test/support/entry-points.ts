// The package's entry points as a consumer imports them, each with its source module (the names it
// must export) and its path under dist/ (ES modules) and cjs/dist/ (CommonJS), without extension.

import * as root from '../../src/index.js';
import * as lifecycle from '../../src/lifecycle/index.js';
import * as signing from '../../src/signing/index.js';
import * as webhooks from '../../src/webhooks/index.js';

export const ENTRY_POINTS = [
  ['@notifykit/sdk', root, 'index'],
  ['@notifykit/sdk/signing', signing, 'signing/index'],
  ['@notifykit/sdk/webhooks', webhooks, 'webhooks/index'],
  ['@notifykit/sdk/lifecycle', lifecycle, 'lifecycle/index'],
] as const;
