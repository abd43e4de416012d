/** One CSV field (RFC 4180), also defusing spreadsheet formulas in text fields (=, +, -, @ at the start). */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV document: a byte order mark, a header row, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}
