/** AAD context of a disbursement's encrypted stage request: binds the ciphertext to its row. */
export function requestContext(disbursementId: string): string {
  return `disbursements.request_enc:${disbursementId}`;
}
