import type { Context, MiddlewareHandler } from 'hono';
import { ProblemError } from '../../problem.js';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/** 415 unless the Content-Type is JSON (`application/json`, optionally with parameters, or `+json`). */
export function requireJson(c: Context): void {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';', 1).join('').trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ProblemError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `Send the request body as JSON with Content-Type: application/json${mediaType ? ` (got ${mediaType})` : ''}.`,
    );
  }
}

/**
 * Writes take a JSON object. Checked here rather than left to the validator, which treats a
 * missing or foreign Content-Type as an empty object and so would answer with field errors.
 */
export function jsonObjectBody(): MiddlewareHandler {
  return async (c, next) => {
    requireJson(c);
    let value: unknown;
    try {
      value = await c.req.json(); // cached by Hono, the validator reads the same parse
    } catch {
      throw new ProblemError(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ProblemError(
        422,
        'invalid-body',
        'The request body is not valid',
        'The request body must be a JSON object.',
      );
    }
    await next();
  };
}
