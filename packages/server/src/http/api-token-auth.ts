import { createHash, timingSafeEqual } from 'node:crypto';
import { Unauthorized } from '../errors.js';

// Comparing fixed-length digests keeps the comparison constant-time even when the lengths differ.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** What a token lets its holder do: the operator acts, the read-only token only reads. */
export type AccessRole = 'operator' | 'readonly';

export interface ApiTokens {
  /** NOTIFYKIT_API_TOKEN. */
  operator: string;
  /** NOTIFYKIT_READONLY_TOKEN, when configured. */
  readonly?: string | undefined;
}

/**
 * The role a presented token grants, or undefined. Both digests are always compared (constant time,
 * and no early exit that would tell which token came close).
 */
export function createTokenRoleLookup(tokens: ApiTokens): (presented: string) => AccessRole | undefined {
  const operator = digest(tokens.operator);
  const readonly = tokens.readonly === undefined ? undefined : digest(tokens.readonly);
  return (presented) => {
    const candidate = digest(presented);
    const isOperator = timingSafeEqual(candidate, operator);
    const isReadonly = readonly !== undefined && timingSafeEqual(candidate, readonly);
    return isOperator ? 'operator' : isReadonly ? 'readonly' : undefined;
  };
}

/**
 * Checks `Authorization: Bearer <token>` and answers the role it grants (401 otherwise). `tokenName` is
 * the setting the caller is told to send (the API's token unless said otherwise, e.g. the metrics token).
 */
export function createBearerTokenCheck(
  tokens: ApiTokens | string,
  tokenName = 'NOTIFYKIT_API_TOKEN',
): (authorization: string | undefined) => AccessRole {
  const roleOf = createTokenRoleLookup(typeof tokens === 'string' ? { operator: tokens } : tokens);
  return (authorization) => {
    if (authorization === undefined || authorization === '') {
      throw new Unauthorized(`missing Authorization: Bearer <${tokenName}> header`);
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (!match) throw new Unauthorized('Authorization header must use the Bearer scheme');
    const role = roleOf(match[1]!.trim());
    if (role === undefined) {
      throw new Unauthorized(tokenName === 'NOTIFYKIT_API_TOKEN' ? 'invalid API token' : `invalid ${tokenName}`);
    }
    return role;
  };
}
