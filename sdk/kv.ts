/** Small synchronous first-party storage: the cart mirror, the consent choice's copy, and the
 * visitor record where IndexedDB fails. localStorage, a cookie when localStorage throws (blocked
 * storage, some private modes), memory when both do: the SDK keeps working whatever the browser
 * allows. Synchronous storage is IPC in Chromium, so nothing on the way to a page view reads it. */
export interface Kv {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
}

/** JSON from storage, or undefined when there is none or it is unreadable. */
export function parse<T>(json: string | null | undefined): T | undefined {
  try {
    return JSON.parse(json!) ?? undefined;
  } catch {
    // unreadable: none
  }
}

export function browserKv(): Kv {
  const memory: Record<string, string | null> = {};
  return {
    get(key) {
      let value: string | null = null;
      try {
        value = localStorage.getItem(key);
      } catch {
        try {
          value = decodeURIComponent(document.cookie.split(key + '=')[1]?.split(';')[0] ?? '') || null;
        } catch {
          // cookies blocked too
        }
      }
      return value ?? memory[key] ?? null;
    },
    set(key, value) {
      memory[key] = value;
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch {
        try {
          document.cookie = `${key}=${encodeURIComponent(value ?? '')};path=/;max-age=${value === null ? 0 : 31_536_000};samesite=lax`;
        } catch {
          // memory only
        }
      }
    },
  };
}
