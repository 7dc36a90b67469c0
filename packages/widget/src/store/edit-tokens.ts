import { EDIT_TOKENS_KEY, readJson } from './storage.js';

export { EDIT_TOKENS_KEY };

/** `[token, editable until in ms since the epoch]` by `${api} ${replyId}`. */
export type EditTokens = Record<string, [string, number]>;

let tokens: EditTokens | undefined;

/**
 * The edit tokens of this reader's replies (read from localStorage once per page): the same
 * object for every caller, so that one kept by the posting module shows at once.
 */
export const editTokens = (): EditTokens => (tokens ??= readJson<EditTokens>(EDIT_TOKENS_KEY) ?? {});

/** The edit token of reply `id` on the server at `api` and its end, while its edit window is open. */
export function editable(api: string, id: string): [string, number] | undefined {
  const kept = editTokens()[`${api} ${id}`];
  return kept && kept[1] > Date.now() ? kept : undefined;
}
