import { once } from 'node:events';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A slow link between one client and the gateway, over loopback: what the client sends passes at
 * once; what the gateway sends passes freely until `hold`, then only as `pass` lets it, a chunk at
 * a time. Metered in a proxy of the test's own: the client's ws resumes its TCP socket by itself
 * whenever its parser drains (receiverOnDrain), which undoes a pause of that socket between chunks.
 */
export class SlowLink {
  private gatewaySide: Socket | null = null;
  private clientSide: Socket | null = null;
  private gatewayGone = false;

  private constructor(
    private readonly server: ReturnType<typeof createTcpServer>,
    readonly graphqlUrl: string,
  ) {}

  /** One link, for one client connection, in front of the gateway at `graphqlUrl`. */
  static async open(graphqlUrl: string): Promise<SlowLink> {
    const target = new URL(graphqlUrl);
    let link!: SlowLink;
    const server = createTcpServer((client) => {
      const gateway = connect(Number(target.port), target.hostname);
      client.on('error', () => {});
      gateway.on('error', () => {});
      client.pipe(gateway);
      gateway.pipe(client);
      gateway.once('close', () => {
        link.gatewayGone = true;
        client.end();
      });
      client.once('close', () => gateway.destroy());
      link.gatewaySide = gateway;
      link.clientSide = client;
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = new URL(graphqlUrl);
    url.port = String((server.address() as AddressInfo).port);
    link = new SlowLink(server, url.toString());
    return link;
  }

  /** The gateway's connection's port on this side: its remote port as the gateway sees it. */
  get gatewayPort(): number {
    return this.gatewaySide?.localPort ?? -1;
  }

  /** Whether the gateway has closed its end of the first connection (a client reconnecting opens another). */
  get gatewayClosed(): boolean {
    return this.gatewayGone;
  }

  /** From now on the gateway's bytes wait: in the kernel's buffers, then in the gateway's. */
  hold(): void {
    const { gateway, client } = this.ends();
    gateway.unpipe(client);
    gateway.pause();
  }

  /** Lets at least `bytes` of the gateway's through, then holds again; sooner when `enough` settles or the gateway has closed. */
  pass(bytes: number, enough: Promise<unknown> = new Promise(() => {})): Promise<void> {
    const { gateway, client } = this.ends();
    if (this.gatewayGone) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let passed = 0;
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        gateway.pause();
        gateway.off('data', onData);
        gateway.off('close', stop);
        resolve();
      };
      const onData = (chunk: Buffer) => {
        client.write(chunk);
        passed += chunk.length;
        if (passed >= bytes) stop();
      };
      gateway.on('data', onData);
      gateway.once('close', stop);
      void enough.then(stop);
      gateway.resume();
    });
  }

  async close(): Promise<void> {
    this.gatewaySide?.destroy();
    this.clientSide?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private ends(): { gateway: Socket; client: Socket } {
    if (!this.gatewaySide || !this.clientSide) throw new Error('no connection over the link yet');
    return { gateway: this.gatewaySide, client: this.clientSide };
  }
}
