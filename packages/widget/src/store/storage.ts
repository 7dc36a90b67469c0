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

let memoryReader: string | undefined;

/**
 * This reader's random key (128 random bits, as four numbers joined by "-"), created once per
 * browser.
 * getRandomValues works on plain-HTTP pages too, where randomUUID() does not exist.
 */
export function readerKey(): string {
  const stored = readJson<string>('colloquy:reader');
  if (stored && /^[\w-]{16,128}$/.test(stored)) return stored;
  if (!memoryReader) {
    memoryReader = crypto.getRandomValues(new Uint32Array(4)).join('-');
    writeJson('colloquy:reader', memoryReader);
  }
  return memoryReader;
}
