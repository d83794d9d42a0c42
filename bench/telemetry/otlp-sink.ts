import { createServer, type Server } from 'node:http';

/**
 * Where the traced apps export during the benchmark: an OTLP/HTTP endpoint that reads and
 * discards every request (a collector's cost is not the apps' overhead), counting what arrived.
 */
export class OtlpSink {
  requests = 0;
  bytes = 0;
  private server: Server | null = null;

  async start(port: number): Promise<string> {
    const server = createServer((request, response) => {
      request.on('data', (chunk: Buffer) => (this.bytes += chunk.length));
      request.on('end', () => {
        this.requests += 1;
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    this.server = server;
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  }
}
