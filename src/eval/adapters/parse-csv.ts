/**
 * A small RFC 4180 CSV parser: quoted fields may hold commas, quotes (doubled) and newlines. Linear in
 * the input; returns records as arrays of fields.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  // True once the current record has consumed any character (so a lone `""` is still a record).
  let pending = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    pending = true;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else {
        field += char;
      }
      index++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      pending = false;
    } else field += char;
    index++;
  }
  if (pending) {
    record.push(field);
    records.push(record);
  }
  return records;
}
