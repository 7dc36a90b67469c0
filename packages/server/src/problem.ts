import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Problem } from '@colloquy/api';

export type FieldError = { path: string; message: string };

/**
 * An error that already knows its RFC 9457 response. Thrown from middleware and handlers so
 * every failure, wherever it happens, leaves through `app.onError` in the same shape.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export function problemBody(
  status: number,
  slug: string,
  title: string,
  detail: string,
  errors?: FieldError[],
): Problem {
  return {
    type: `urn:colloquy:problem:${slug}`,
    title,
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problemResponse(c: Context, error: ProblemError): Response {
  const body = problemBody(error.status, error.slug, error.title, error.detail, error.errors);
  return c.body(JSON.stringify(body), error.status, {
    ...error.headers,
    'Content-Type': 'application/problem+json',
  });
}

export const notFound = (detail: string) => new ProblemError(404, 'not-found', 'Not found', detail);
export const badRequest = (detail: string, errors?: FieldError[]) =>
  new ProblemError(400, 'bad-request', 'Bad request', detail, errors);
