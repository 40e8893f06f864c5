import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CsvTruncatedError,
  indexCsvRows,
  readCsvField,
  readCsvRow,
  readCsvRows,
} from '../../src/sources/csv-rows.js';

describe('readCsvRows', () => {
  const cases: [string, string, string[][]][] = [
    [
      'OFAC row with bare nulls and CRLF',
      '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n',
      [['36', 'AEROCARIBBEAN AIRLINES', '-0- ', 'CUBA']],
    ],
    ['doubled quotes', '"say ""hi""",x\n', [['say "hi"', 'x']]],
    [
      'a stray quote inside a quoted field is text',
      '1,"ALI "THE FOX" KHAN",2\r\n',
      [['1', 'ALI "THE FOX" KHAN', '2']],
    ],
    ['a quote inside a bare field is text', '1,O"BRIEN,2\n', [['1', 'O"BRIEN', '2']]],
    ['commas and newlines inside quotes', '"a,b","line1\nline2"\n', [['a,b', 'line1\nline2']]],
    ['empty fields and a trailing comma', 'a,,c,\n', [['a', '', 'c', '']]],
    ['blank lines skipped, last line without newline', 'a\r\n\r\n\nb', [['a'], ['b']]],
    ['lone CR ends a row', 'a\rb\r', [['a'], ['b']]],
  ];
  for (const [name, text, rows] of cases) it(name, () => expect(readCsvRows(text)).toEqual(rows));

  it('indexes each row without reading it: its line without the line end, quoted newlines inside, and its width', () => {
    const text = 'a,b\r\n\r\n"x\ny",z\nlast\n""\n"q""",,';
    const { spans, widths } = indexCsvRows(text);
    const lines = [];
    for (let k = 0; k < spans.length; k += 2) lines.push(text.slice(spans[k], spans[k + 1]));
    expect(lines).toEqual(['a,b', '"x\ny",z', 'last', '"q""",,']);
    expect(widths).toEqual([2, 2, 1, 3]);
    expect(lines.map((_, k) => readCsvRow(text, spans[2 * k]!, spans[2 * k + 1]!))).toEqual(
      readCsvRows(text),
    );
    expect(readCsvRows(text)[3]).toEqual(['q"', '', '']);
    expect(spans.filter((_, k) => k % 2 === 0).map((start) => readCsvField(text, start))).toEqual([
      'a',
      'x\ny',
      'last',
      'q"',
    ]);
  });

  it('reads every row of the real OFAC and CSL files the same, indexed or at once', () => {
    for (const file of [
      'ofac/sdn.csv',
      'ofac/alt.csv',
      'ofac/add.csv',
      'ofac/cons_prim.csv',
      'ofac/sdn_comments.csv',
      'ofac/sdn_2024-04-12_trimmed.csv',
      'csl/consolidated_2023-11_excerpt.csv',
      'csl/csl_legacy_excerpt.csv',
    ]) {
      const text = readFileSync(join(__dirname, '..', 'fixtures', file), 'latin1');
      const rows = readCsvRows(text);
      const { spans, widths } = indexCsvRows(text);
      expect(rows.length, file).toBeGreaterThan(3);
      expect(widths, file).toEqual(rows.map((r) => r.length));
      expect(
        rows.map((_, k) => readCsvRow(text, spans[2 * k]!, spans[2 * k + 1]!)),
        file,
      ).toEqual(rows);
      expect(
        rows.map((_, k) => readCsvField(text, spans[2 * k]!)),
        file,
      ).toEqual(rows.map((r) => r[0]));
    }
  });

  it('finds a quoted field cut off by the end of the body when indexing too', () => {
    expect(() => indexCsvRows('1,"ABC\r\n2,"DEF')).toThrow(CsvTruncatedError);
  });

  it('throws on a quoted field cut off by the end of the body', () => {
    expect(() => readCsvRows('1,"ABC\r\n2,"DEF')).toThrow(CsvTruncatedError);
  });
});
