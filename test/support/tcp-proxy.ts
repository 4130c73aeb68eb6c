import { AddressInfo, createServer, Server, Socket } from 'node:net';
import ConnectionString from 'mongodb-connection-string-url';
import { commandOf } from './wire';

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
  /** The command whose reply is to be lost (see cutBeforeReply). */
  private cutCommand?: string;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUri(uri: string): TcpProxy {
    const [host, port] = new URL(uri.replace(/^mongodb:/, 'http:')).host.split(':');
    return new TcpProxy(host, Number(port || 27017));
  }

  /**
   * The target URI rewritten to go through this proxy. A direct connection: a replica set member
   * advertises its own address, which the driver would otherwise switch to, around the proxy.
   */
  rewrite(uri: string): string {
    const cs = new ConnectionString(uri);
    cs.hosts = [`127.0.0.1:${this.port}`];
    cs.searchParams.set('directConnection', 'true');
    return cs.toString();
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
      let replyLost = false;
      upstream.connect(this.targetPort, this.targetHost, () => {
        // Both readers attach in the same tick, so neither misses the bytes buffered meanwhile.
        this.captureMessages(client, () => (replyLost = true));
        client.pipe(upstream);
        upstream.on('data', (chunk: Buffer) => (replyLost ? close() : client.write(chunk)));
      });
    });
    await new Promise<void>((resolve, reject) =>
      this.server!.once('error', reject).listen(this.port, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /**
   * The next `command` (e.g. `update`) reaches the server, and its connection is cut before the
   * reply gets back: the client cannot know whether it was applied (a failover's usual effect).
   */
  cutBeforeReply(command: string): void {
    this.cutCommand = command;
  }

  /** Splits the client's stream into wire-protocol messages (each starts with its int32 length). */
  private captureMessages(client: Socket, loseReply: () => void): void {
    let received: Buffer = Buffer.alloc(0);
    let first = true;
    client.on('data', (chunk: Buffer) => {
      received = received.length ? Buffer.concat([received, chunk]) : chunk;
      while (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        const message = received.subarray(0, received.readInt32LE(0));
        received = received.subarray(message.length);
        if (first) this.firstMessages.push(message);
        else if (this.recording) this.messages.push(message);
        if (!first && this.cutCommand && isCommand(message, this.cutCommand)) {
          this.cutCommand = undefined;
          loseReply();
        }
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

/** Whether a client's message is an OP_MSG of this command (its first key). */
const isCommand = (message: Buffer, name: string) =>
  message.readInt32LE(12) === 2013 && Object.keys(commandOf(message))[0] === name;
