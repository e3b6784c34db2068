// A minimal GraphQL client over keep-alive sockets (node:http): what the benchmark times is the
// server, so the client adds as little as it can and reuses connections like a real dashboard.
import http from 'node:http';

export class GraphqlError extends Error {}

export class GraphqlClient {
  private readonly agent: http.Agent;
  private readonly target: URL;
  private lastUsed = 0;

  constructor(
    url: string,
    private readonly apiKey: string,
    maxSockets = 64,
  ) {
    this.target = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs one operation; resolves with `data`, rejects on transport or GraphQL errors. */
  request<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    // The server closes keep-alive sockets idle for 5 s; reusing one it is closing right then
    // fails with "socket hang up". After a pause (the floor's runs), start on fresh sockets.
    const now = performance.now();
    if (now - this.lastUsed > 2000) this.dropIdleSockets();
    this.lastUsed = now;
    const body = JSON.stringify({ query, variables });
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            'content-length': Buffer.byteLength(body),
            // The peer has no authentication: it gets no key.
            ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            this.lastUsed = performance.now();
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: { data?: T; errors?: { message: string; extensions?: unknown }[] };
            try {
              parsed = JSON.parse(text);
            } catch {
              return reject(new GraphqlError(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
            }
            if (parsed.errors?.length) return reject(new GraphqlError(`${parsed.errors[0]!.message} ${JSON.stringify(parsed.errors[0]!.extensions ?? {})}`));
            resolve(parsed.data as T);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  private dropIdleSockets(): void {
    for (const sockets of Object.values(this.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }

  close(): void {
    this.agent.destroy();
  }
}
