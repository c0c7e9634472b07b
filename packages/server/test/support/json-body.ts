/** A response body for assertions; tests read deep fields freely, so it is deliberately untyped. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions navigate arbitrary JSON
export type JsonBody = any;

export async function json(response: Response | Promise<Response>): Promise<JsonBody> {
  return (await response).json();
}
