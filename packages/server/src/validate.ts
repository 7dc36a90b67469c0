import { zValidator } from '@hono/zod-validator';
import { resolver, uniqueSymbol } from 'hono-openapi';
import type { z } from 'zod';
import { ProblemError, type FieldError } from './problem.js';

/** Turns zod issues into the `errors` list of a problem, with messages a person can act on. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      // Keys are the client's text: cut long ones so a refusal never echoes a whole body back.
      const keys = issue.keys
        .map((k) => (k.length > 64 ? `${k.slice(0, 64)}…` : k))
        .map((k) => (path ? `${path}.${k}` : k));
      return {
        path: keys.join(','),
        message: `${keys.join(', ')}: unknown field${keys.length > 1 ? 's' : ''}, not accepted`,
      };
    }
    return { path: path || '(root)', message: issue.message };
  });
}

const targetStatus = { json: 422, query: 400, param: 400, header: 400 } as const;
type Target = keyof typeof targetStatus;

/**
 * `@hono/zod-validator` with our problem responses. Body errors are 422 (well-formed JSON that
 * makes no sense); query, path and header errors 400.
 */
export function validate<T extends Target, S extends z.ZodType>(target: T, schema: S) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) {
      const errors = fieldErrors(result.error.issues);
      const status = targetStatus[target];
      throw new ProblemError(
        status,
        status === 422 ? 'invalid-body' : 'invalid-request',
        status === 422 ? 'The request body is not valid' : 'The request is not valid',
        errors
          .map((e) =>
            e.path === '(root)' || e.message.startsWith(e.path) ? e.message : `${e.path}: ${e.message}`,
          )
          .join('; '),
        errors,
      );
    }
    return undefined;
  });
  // What hono-openapi reads off a validator to describe its route (see routes/openapi.ts): the
  // OpenAPI document is made from the very schemas the routes validate with. `io: 'input'`:
  // what a client sends, before the schema's transforms.
  return Object.assign(middleware, {
    [uniqueSymbol]: { target, ...resolver(schema, { io: 'input' } as never), options: undefined },
  });
}
