import { Hono as Router, type Env, type Hono, type Schema } from 'hono';
import { generateSpecs } from 'hono-openapi';

/**
 * `GET /openapi.json`: the API as an OpenAPI 3.1 document, made from the app's own routes by
 * hono-openapi: every registered route is a path of it, and the request schemas are the zod
 * schemas the routes validate with (see validate.ts), so the document cannot disagree with
 * the code.
 */
export function openApiRoutes<E extends Env, S extends Schema, P extends string>(app: Hono<E, S, P>) {
  let document: Promise<unknown> | null = null;
  return new Router().get('/openapi.json', async (c) => {
    document ??= generateSpecs(app, {
      documentation: {
        info: {
          title: 'Colloquy API',
          version: '1',
          description:
            'Topics, replies, reactions and live events for readers; moderation, webhooks and the console session for moderators. Errors are RFC 9457 problem details.',
        },
        components: {
          schemas: {
            Problem: {
              type: 'object',
              required: ['type', 'title', 'status', 'detail'],
              properties: {
                type: { type: 'string' },
                title: { type: 'string' },
                status: { type: 'integer' },
                detail: { type: 'string' },
                errors: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { path: { type: 'string' }, message: { type: 'string' } },
                  },
                },
              },
            },
          },
          securitySchemes: {
            adminToken: { type: 'http', scheme: 'bearer', description: 'COLLOQUY_ADMIN_TOKEN' },
            consoleSession: { type: 'apiKey', in: 'cookie', name: 'colloquy_console' },
          },
        },
      },
      includeEmptyPaths: true,
      excludeStaticFile: false,
      // The API only: the console's page, email links' pages and the bundles are not API calls.
      exclude: [/^(?!\/api\/)/],
      defaultValidationErrorResponse: {
        description: 'The request is not valid: an RFC 9457 problem naming each mistake in errors[]',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    });
    document.catch(() => (document = null));
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await document);
  });
}
