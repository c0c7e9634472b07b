// Webhook URLs as logs and the start banner show them: without the receiver's credentials.

import { describe, expect, it } from 'vitest';
import { redactedUrl } from './webhook-url.js';

describe('redactedUrl', () => {
  it.each([
    ['https://hooks.example/ingo', 'https://hooks.example/ingo'],
    ['https://u:p@hooks.example/x?a=1&b=2&a=3', 'https://u:REDACTED@hooks.example/x?a=REDACTED&b=REDACTED'],
    ['http://user@127.0.0.1:9000/', 'http://user@127.0.0.1:9000/'],
    ['not a url with a s3cr3t', '[REDACTED]'],
  ])('%s → %s', (url, shown) => {
    expect(redactedUrl(url)).toBe(shown);
  });
});
