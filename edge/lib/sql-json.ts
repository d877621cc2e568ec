/** A read's rows as one JSON array of objects, built by SQLite inside the statement: one value
 * for D1 to carry instead of a row object per row (on the decide path D1's per-row and
 * per-statement handling cost more than the SQL). `select` must yield `columns`, in the order the
 * array should keep (its ORDER BY). Values come back as JSON numbers, strings and nulls; a
 * column holding JSON text stays a string. Blob columns cannot be read this way. */
export const jsonRows = (columns: readonly string[], select: string) =>
  `(SELECT json_group_array(json_object(${columns.map((c) => `'${c}', ${c}`).join(', ')})) FROM (${select}))`;

/** One row's object (null when there is none) for a read of at most one row. */
export const jsonRow = (columns: readonly string[], select: string) =>
  `(SELECT json_object(${columns.map((c) => `'${c}', ${c}`).join(', ')}) FROM (${select}))`;
