// Raw HTTP bytes over a TCP socket, for the server's and the sandbox's tests of what no HTTP client sends
// (malformed requests, bodies dripped byte by byte). Shared by both packages' tests, so it lives here.
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

/**
 * A slow client: sends `head` at once, then one byte of `body` every `intervalMs` (the slow-body attack),
 * and resolves with what the server answered when it closed the connection — or with what it had
 * answered by `giveUpMs` (so a server that never times out fails the test instead of hanging it).
 */
export function dripRequest(
  url: string,
  head: string,
  body: string,
  { intervalMs, giveUpMs }: { intervalMs: number; giveUpMs: number },
): Promise<{ answer: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let sent = 0;
    let closedByServer = true;
    const drip = setInterval(() => {
      if (sent < body.length && socket.writable) socket.write(body[sent++]!);
    }, intervalMs);
    const giveUp = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, giveUpMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ answer, closedByServer });
    });
    socket.on('connect', () => socket.write(head));
  });
}
