import { connect } from 'node:net';

/**
 * Sends raw bytes to `baseUrl`'s host and port (requests fetch would refuse to build: bad header names,
 * NULs, broken request lines) and returns the status of the answer, or null when the connection closed
 * without one.
 */
export function sendRaw(
  baseUrl: string,
  request: Buffer | string,
  timeoutMs = 5000,
): Promise<{ status: number | null; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) });
    const finish = () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, text });
    };
    socket.setTimeout(timeoutMs, finish);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One answer is enough: stop once its headers and declared body are in.
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text);
      if (end >= 0 && (!length || text.length >= end + 4 + Number(length[1]))) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(request);
  });
}
