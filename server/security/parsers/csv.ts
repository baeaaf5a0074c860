// RFC 4180 CSV: fields separated by commas (or another one-character separator: Excel writes ";"
// where the decimal mark is a comma), a field in double quotes may hold separators, doubled quotes
// and line breaks.

export type CsvRow = { ok: true; fields: string[] } | { ok: false; reason: string };

/** One CSV record (no line break outside quotes) to its fields, split at `separator` (a comma by default). */
export function parseCsvRecord(text: string, separator = ","): CsvRow {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) return { ok: false, reason: "a quoted field is not closed" };
        value += text.slice(i, close);
        i = close + 1;
        if (text[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
      fields.push(value);
      if (i === text.length) return { ok: true, fields };
      if (text[i] !== separator) return { ok: false, reason: `a quoted field is followed by ${JSON.stringify(text[i])}, not ${separator === "," ? "a comma" : JSON.stringify(separator)}` };
      i++;
    } else {
      const comma = text.indexOf(separator, i);
      if (comma < 0) {
        fields.push(text.slice(i));
        return { ok: true, fields };
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

/**
 * Splits CSV text into records at line breaks outside quotes (`\n` or `\r\n`), keeping each
 * record's text as written. A trailing line break ends the last record; it does not make an empty one.
 */
export function splitCsvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10 && !inQuotes) {
      records.push(text.slice(start, i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

/**
 * The separator of a CSV file by its header row: a comma, else a semicolon (Excel where the decimal
 * mark is a comma), else a tab, else a comma (a one-column header).
 */
export function csvSeparator(header: string): "," | ";" | "\t" {
  if (header.includes(",")) return ",";
  if (header.includes(";")) return ";";
  return header.includes("\t") ? "\t" : ",";
}
