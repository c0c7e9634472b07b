// `@notifykit/sdk/signing`: sign gateway requests for Ingo (docs/ingo-contract.md §1), and verify them on the
// receiving side with Ingo's exact 401 messages (§1.1).

export { type SignedRequest, type SignRequestInput, signRequest } from './sign-request.js';
export type { SigningAlgorithm } from './signing-string.js';
export {
  type IncomingHeaders,
  type IncomingRequest,
  type VerifiedSignature,
  type VerifyOptions,
  verifyRequestSignature,
} from './verify-request.js';
