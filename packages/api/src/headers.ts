/** The request header that carries a reader's random key, for per-reader reaction toggles. */
export const READER_HEADER = 'X-Colloquy-Reader';

/** The request header that carries a reply's edit token, for PATCH and DELETE of that reply. */
export const EDIT_TOKEN_HEADER = 'X-Colloquy-Edit-Token';

/** The request header that carries a solved proof-of-work: `<challenge>:<nonce>`. */
export const PROOF_HEADER = 'X-Colloquy-Proof';
/** The per-session token a console write carries (see ModeratorSession.csrfToken). */
export const CSRF_HEADER = 'X-CSRF-Token';
