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

/** This reader's random key (22 base64url characters, 132 bits), created once per browser. */
export function readerKey(): string {
  const stored = readJson<string>('colloquy:reader');
  if (stored && /^[\w-]{22,}$/.test(stored)) return stored;
  if (!memoryReader) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    memoryReader = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    writeJson('colloquy:reader', memoryReader);
  }
  return memoryReader;
}
