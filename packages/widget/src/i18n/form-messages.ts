/**
 * The English strings only the reply form shows: they are loaded with it, so the script-tag
 * core does not carry them. Every other language's catalog has them as usual, and the served
 * English catalog (catalogs.json) includes them.
 */
export const formMessages = {
  name: 'Name',
  text: 'Reply',
  post: 'Post reply',
  posted: 'Your reply was posted.',
};
