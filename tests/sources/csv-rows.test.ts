import { describe, expect, it } from 'vitest';
import { CsvTruncatedError, readCsvRows } from '../../src/sources/csv-rows.js';

describe('readCsvRows', () => {
  const cases: [string, string, string[][]][] = [
    ['OFAC row with bare nulls and CRLF', '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n', [['36', 'AEROCARIBBEAN AIRLINES', '-0- ', 'CUBA']]],
    ['doubled quotes', '"say ""hi""",x\n', [['say "hi"', 'x']]],
    ['a stray quote inside a quoted field is text', '1,"ALI "THE FOX" KHAN",2\r\n', [['1', 'ALI "THE FOX" KHAN', '2']]],
    ['a quote inside a bare field is text', '1,O"BRIEN,2\n', [['1', 'O"BRIEN', '2']]],
    ['commas and newlines inside quotes', '"a,b","line1\nline2"\n', [['a,b', 'line1\nline2']]],
    ['empty fields and a trailing comma', 'a,,c,\n', [['a', '', 'c', '']]],
    ['blank lines skipped, last line without newline', 'a\r\n\r\n\nb', [['a'], ['b']]],
    ['lone CR ends a row', 'a\rb\r', [['a'], ['b']]],
  ];
  for (const [name, text, rows] of cases) it(name, () => expect(readCsvRows(text)).toEqual(rows));

  it("gives each row's start and end offset: its line without the line end, quoted newlines inside", () => {
    const text = 'a,b\r\n\r\n"x\ny",z\nlast';
    const spans: number[] = [];
    expect(readCsvRows(text, spans)).toEqual([['a', 'b'], ['x\ny', 'z'], ['last']]);
    const lines = [];
    for (let k = 0; k < spans.length; k += 2) lines.push(text.slice(spans[k], spans[k + 1]));
    expect(lines).toEqual(['a,b', '"x\ny",z', 'last']);
  });

  it('throws on a quoted field cut off by the end of the body', () => {
    expect(() => readCsvRows('1,"ABC\r\n2,"DEF')).toThrow(CsvTruncatedError);
  });
});
