import { readFileSync } from 'node:fs';
import { readCsvRows } from '/work/main/src/sources/csv-rows.ts';
import { decodeText } from '/work/main/src/sources/text.ts';
import { createHash } from 'node:crypto';
const b=readFileSync('/work/shared/fixtures/bench/sdn_2024-05-01_full.csv');
for (let k=0;k<3;k++){
let t=performance.now(); const txt=decodeText(b); console.log('decode',performance.now()-t);
t=performance.now(); const rows=readCsvRows(txt); console.log('rows',rows.length,performance.now()-t);
t=performance.now(); for (const r of rows) JSON.stringify(r); console.log('json',performance.now()-t);
t=performance.now(); for (const r of rows) createHash('sha1').update(JSON.stringify(r)).digest('base64'); console.log('sha1',performance.now()-t);
}
