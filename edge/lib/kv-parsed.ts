/** A KV value as this isolate parsed it, with the text it was parsed from (null: no value). */
export interface ParsedKv<T> {
  text: string | null;
  value: T;
}

/** Reads `key` and parses it only when its text differs from what `previous` was parsed from:
 * a schema cannot change within an isolate, and zod's parse of a large value (a site config with
 * dozens of campaigns) holds the thread every request shares for milliseconds. Keeping the same
 * object also keeps memos keyed on it. For TtlCache loads, which are handed the value they replace. */
export async function readParsedKv<T>(kv: KVNamespace, key: string, previous: ParsedKv<T> | undefined, parse: (text: string | null) => T): Promise<ParsedKv<T>> {
  const text = await kv.get(key, 'text');
  return previous && previous.text === text ? previous : { text, value: parse(text) };
}
