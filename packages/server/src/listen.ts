import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** How long close() lets requests in flight finish before cutting the connections left. */
const CLOSE_GRACE_MS = 2000;

/** Serves the app over HTTP; port 0 picks a free port, reported in the result. */
export function listen(
  app: Pick<Hono, 'fetch'>,
  options: { port: number; hostname?: string },
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      port: options.port,
      ...(options.hostname ? { hostname: options.hostname } : {}),
    });
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host =
        !options.hostname || ['0.0.0.0', '::'].includes(options.hostname) ? 'localhost' : options.hostname;
      resolve({
        port,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            // Event streams never end by themselves: after a grace period for the requests in
            // flight, the connections still open are cut (EventSource reconnects elsewhere).
            const cut = setTimeout(() => {
              if ('closeAllConnections' in server) server.closeAllConnections();
            }, CLOSE_GRACE_MS);
            cut.unref();
            server.close((error) => {
              clearTimeout(cut);
              if (error) fail(error);
              else done();
            });
            // Idle keep-alive connections would otherwise hold close() open for seconds.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
  });
}
