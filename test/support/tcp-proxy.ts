import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of the test database, so a test can take the database
 * away (every connection cut, new ones refused) and bring it back, whatever server it is.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  /** The first wire-protocol message of every client connection: the driver's handshake. */
  readonly firstMessages: Buffer[] = [];
  /** Every message clients sent, in order, while `recording` (to read the commands on the wire). */
  readonly messages: Buffer[] = [];
  recording = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUri(uri: string): TcpProxy {
    const [host, port] = new URL(uri.replace(/^mongodb:/, 'http:')).host.split(':');
    return new TcpProxy(host, Number(port || 27017));
  }

  /** The target URI rewritten to go through this proxy. */
  rewrite(uri: string): string {
    return uri.replace(/^mongodb:\/\/([^/@]*@)?[^/]+/, (_, auth = '') => `mongodb://${auth}127.0.0.1:${this.port}`);
  }

  /** Listens (again) on the same port; a no-op while already listening. */
  async start(): Promise<this> {
    if (this.server) return this;
    this.server = createServer((client) => {
      const upstream = new Socket();
      this.sockets.add(client).add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      upstream.connect(this.targetPort, this.targetHost, () => {
        // Both readers attach in the same tick, so neither misses the bytes buffered meanwhile.
        this.captureMessages(client);
        client.pipe(upstream);
        upstream.pipe(client);
      });
    });
    await new Promise<void>((resolve, reject) =>
      this.server!.once('error', reject).listen(this.port, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Splits the client's stream into wire-protocol messages (each starts with its int32 length). */
  private captureMessages(client: Socket): void {
    let received: Buffer = Buffer.alloc(0);
    let first = true;
    client.on('data', (chunk: Buffer) => {
      received = received.length ? Buffer.concat([received, chunk]) : chunk;
      while (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        const message = received.subarray(0, received.readInt32LE(0));
        received = received.subarray(message.length);
        if (first) this.firstMessages.push(message);
        else if (this.recording) this.messages.push(message);
        first = false;
      }
    });
  }

  /** The database "goes down": open connections are cut and the port refuses new ones. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
