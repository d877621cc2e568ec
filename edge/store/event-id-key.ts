/* How `event_ids` holds an event id: a lowercase UUID (what the SDK and most emitters send) as
 * its 16 bytes, anything else as the text itself. Dedupe keeps every id of the hot window, so the
 * 36-character text would be most of the table. The mapping is one-to-one: only the canonical
 * lowercase form becomes bytes (an upper-case UUID stays text, a different id), and bytes never
 * equal text in SQLite (the column's TEXT affinity leaves a blob a blob). */

/** SQL: the stored key of the id text `expr`. (D1 refuses a GLOB pattern this long, hence the
 * spelled-out checks: 36 characters, lowercase, dashes at 9, 14, 19, 24 and nowhere else, hex.) */
export const eventIdKey = (expr: string): string => {
  const digits = `replace(${expr}, '-', '')`;
  const canonical = [
    `length(${expr}) = 36`,
    `${expr} = lower(${expr})`,
    ...[9, 14, 19, 24].map((at) => `substr(${expr}, ${at}, 1) = '-'`),
    `length(${digits}) = 32`,
    `unhex(${digits}) IS NOT NULL`,
  ].join(' AND ');
  return `(CASE WHEN ${canonical} THEN unhex(${digits}) ELSE ${expr} END)`;
};
