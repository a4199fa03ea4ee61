// CSV as RFC 4180 has it (and CiviCRM's importer and spreadsheets read):
// a header row, comma-separated, CRLF line ends, UTF-8; a field with a
// comma, a quote or a line break is quoted, quotes doubled. A text that
// begins like a spreadsheet formula (= + - @, a tab or CR) gets a leading
// apostrophe, so a name can't run as a formula when the file is opened in
// a spreadsheet (OWASP's advice on CSV injection).

export type Cell = string | number | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: Cell): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? String(value) : value;
  if (typeof value === "string" && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

export interface CsvFile {
  /** Without the date: `civicrm-contacts.csv`. */
  name: string;
  header: string[];
  rows: Cell[][];
  /** One line about it, for the chat message and the dashboard's list. */
  about: string;
}

export const csvText = (file: CsvFile): string => toCsv(file.header, file.rows);

/** `1 row`, `3 rows`: `count(2, "clinic transaction")`; `many` where adding an s won't do. */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
