/**
 * The English strings of the reader controls (the order of the replies): they are loaded with
 * their module (reply-thread/reader-controls.ts), so the script-tag core does not carry them.
 * Every other language's catalog has them as usual, and the served English catalog
 * (catalogs.json) includes them.
 */
export const controlsMessages = {
  sort: 'Sort',
  oldest: 'Oldest first',
  newest: 'Newest first',
  top: 'Most reacted',
};
