import { type Socket } from 'node:net';

/** Node's parser errors that have a status of their own; anything else it refuses is a 400. */
const STATUS_LINE_BY_CODE: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/**
 * Requests the HTTP parser refuses before any route or hook sees them (headers too large,
 * malformed request lines) get the status line alone and the connection closes, as Node's own
 * server answers them. Fastify's default writes a JSON body of another shape than our errors.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const statusLine = STATUS_LINE_BY_CODE[error.code ?? ''] ?? '400 Bad Request';
  socket.end(`HTTP/1.1 ${statusLine}\r\nConnection: close\r\n\r\n`);
}
