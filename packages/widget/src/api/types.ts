/**
 * `@colloquy/widget/api-types.js`, kept for apps that imported the wire types from here: they
 * now live in `@colloquy/api`, which the elements and the server share.
 */
export * from '@colloquy/api';
