// localStorage can be missing or throw (sandboxed iframes, privacy modes): never let it break the widget.

export function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage unavailable: keep working in memory */
  }
}

/** Where this reader's edit tokens are kept, for every server and topic. */
export const EDIT_TOKENS_KEY = 'colloquy:edit';
