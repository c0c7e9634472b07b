import { connect } from 'node:net';

/**
 * Sends `bytes` over a fresh TCP connection exactly as given (no HTTP client in between, so malformed
 * requests reach the server's parser) and resolves with everything the server wrote before it closed
 * the connection, or after `idleMs` of silence.
 */
export function sendRaw(url: string, bytes: string | Buffer, idleMs = 2000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('latin1');
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve(received));
    socket.on('connect', () => socket.write(bytes));
  });
}
