// The app on a real local port, for clients that speak HTTP themselves (the OpenTelemetry exporters).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src/server.ts';

export async function listen(app: App): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(app.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
