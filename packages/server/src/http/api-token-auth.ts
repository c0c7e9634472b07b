import { createHash, timingSafeEqual } from 'node:crypto';
import { Unauthorized } from '../errors.js';

// Comparing fixed-length digests keeps the comparison constant-time even when the lengths differ.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** `tokenName` is the setting the caller is told to send (the API's token unless said otherwise). */
export function createBearerTokenCheck(
  expectedToken: string,
  tokenName = 'NOTIFYKIT_API_TOKEN',
): (authorization: string | undefined) => void {
  const expected = digest(expectedToken);
  return (authorization) => {
    if (authorization === undefined || authorization === '') {
      throw new Unauthorized(`missing Authorization: Bearer <${tokenName}> header`);
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (!match) throw new Unauthorized('Authorization header must use the Bearer scheme');
    if (!timingSafeEqual(digest(match[1]!.trim()), expected)) {
      throw new Unauthorized(tokenName === 'NOTIFYKIT_API_TOKEN' ? 'invalid API token' : `invalid ${tokenName}`);
    }
  };
}
