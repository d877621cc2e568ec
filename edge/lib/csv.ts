/** CSV as spreadsheets read it: RFC 4180 quoting, CRLF rows, a UTF-8 BOM so Excel reads Korean,
 * and text that a spreadsheet would run as a formula (= + - @, tab, CR first) prefixed with '. */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** Streams a CSV file page by page (keyset pages from `nextPage`, null when done), so an export
 * of any size runs in bounded memory. */
export function csvResponse<Row>(
  filename: string,
  header: readonly string[],
  nextPage: (after: Row | null) => Promise<Row[]>,
  toCells: (row: Row) => readonly unknown[],
): Response {
  const encoder = new TextEncoder();
  let last: Row | null = null;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(header)}`));
        return;
      }
      const rows = await nextPage(last);
      if (rows.length === 0) return controller.close();
      controller.enqueue(encoder.encode(rows.map((row) => csvRow(toCells(row))).join('')));
      last = rows[rows.length - 1]!;
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
