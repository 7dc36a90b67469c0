import type { RouterRoute } from 'hono/types';
import { METHOD_NAME_ALL } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

/** The order methods are listed in `Allow`. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * What a 405 answer's `Allow` lists for a path: the methods of the app's own registered routes
 * that match it (matched by a router of Hono's, as the app matches them), HEAD wherever GET is
 * (Hono answers HEAD with the GET handler), and OPTIONS under the `preflighted` patterns, whose
 * CORS middleware answers preflights. Null when no route matches the path at all: a 404.
 * Routes added to the app later are taken into account, so adding a route needs no second list.
 */
export function allowedMethods(app: { routes: readonly RouterRoute[] }, preflighted: readonly string[]) {
  let table: { routes: number; allow: (path: string) => string | null } | undefined;
  return (path: string): string | null => {
    if (table?.routes !== app.routes.length)
      table = { routes: app.routes.length, allow: methodTable(app.routes, preflighted) };
    return table.allow(path);
  };
}

function methodTable(
  routes: readonly RouterRoute[],
  preflighted: readonly string[],
): (path: string) => string | null {
  const router = new TrieRouter<string>();
  const methods = new Set<string>();
  for (const { method, path } of routes) {
    // Middleware (`use`) is registered for every method; it answers nothing by itself.
    if (method === METHOD_NAME_ALL) continue;
    router.add(method, path, method);
    methods.add(method);
  }
  const preflight = new TrieRouter<string>();
  for (const pattern of preflighted) preflight.add('OPTIONS', pattern, 'OPTIONS');
  const others = [...methods].filter((method) => !ORDER.includes(method) && method !== 'OPTIONS').sort();
  const matches = (on: TrieRouter<string>, method: string, path: string) =>
    on.match(method, path)[0].length > 0;

  return (path) => {
    const answers = (method: string) => methods.has(method) && matches(router, method, path);
    const allowed = [...ORDER, ...others].filter(
      (method) => answers(method) || (method === 'HEAD' && answers('GET')),
    );
    const options = answers('OPTIONS');
    if (allowed.length === 0 && !options) return null;
    if (options || matches(preflight, 'OPTIONS', path)) allowed.push('OPTIONS');
    return allowed.join(', ');
  };
}
