import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** How long close() leaves event streams open (their readers reconnect elsewhere) before cutting them. */
const STREAM_GRACE_MS = 2000;
/**
 * How long close() lets other requests in flight finish before cutting what is left. A write
 * cut mid-way is a 502 that its reader cannot safely retry (it may have been stored), so these
 * get far longer than streams: under load a write can take seconds.
 */
const CLOSE_GRACE_MS = 15_000;

/**
 * The paths of event streams, which never end by themselves: a topic's live updates and the
 * moderation console's stream.
 */
const STREAM_PATH = /^\/api\/v1\/(?:topics\/[^/?]+\/events|admin\/stream)(?:\?|$)/;

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
    // Requests in flight, and whether each is an event stream.
    const inFlight = new Map<ServerResponse, boolean>();
    server.on('request', (request, response: ServerResponse) => {
      inFlight.set(response, STREAM_PATH.test(request.url ?? ''));
      response.once('close', () => inFlight.delete(response));
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
            // Event streams never end by themselves: after a short grace they are cut
            // (EventSource reconnects elsewhere). Other requests in flight may finish, up to a
            // longer bound, after which the connections still open are cut.
            const cutStreams = setTimeout(() => {
              for (const [response, stream] of inFlight) if (stream) response.socket?.destroy();
            }, STREAM_GRACE_MS);
            const cut = setTimeout(() => {
              if ('closeAllConnections' in server) server.closeAllConnections();
            }, CLOSE_GRACE_MS);
            cutStreams.unref();
            cut.unref();
            server.close((error) => {
              clearTimeout(cutStreams);
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
