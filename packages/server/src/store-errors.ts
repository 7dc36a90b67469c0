import { ProblemError, badRequest, notFound } from './problem.js';
import { StoreError } from './store/store.js';

/** Store failures a client caused, as problems; anything else is a server fault and rethrown. */
export function fromStoreError(error: unknown): unknown {
  if (!(error instanceof StoreError)) return error;
  switch (error.code) {
    case 'topic-not-found':
    case 'reply-not-found':
      return notFound(error.message);
    case 'invalid-cursor':
      return badRequest('cursor is not valid for this topic; start again without a cursor.');
    case 'invalid-parent':
      return new ProblemError(422, 'invalid-parent', 'Invalid parent reply', error.message, [
        { path: 'parentId', message: error.message },
      ]);
    case 'topic-locked':
      return new ProblemError(409, 'topic-locked', 'Topic locked', error.message);
    case 'name-reserved':
      return new ProblemError(409, 'name-reserved', 'Name reserved', error.message, [
        { path: 'authorName', message: error.message },
      ]);
    case 'too-deep':
      return new ProblemError(422, 'too-deep', 'Reply nested too deeply', error.message, [
        { path: 'parentId', message: error.message },
      ]);
  }
}

/** For `.catch()`: rethrows a store failure as its problem. */
export const rethrowStoreError = (error: unknown): never => {
  throw fromStoreError(error);
};
