/** Small first-party key-value storage for ids, consent and the cart mirror: localStorage, a
 * cookie when localStorage throws (blocked storage, some private modes), and memory when both
 * do, so the SDK keeps working for the page's lifetime whatever the browser allows. */
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
