import { readFileSync } from 'node:fs';
import { parseOfacCsv } from '/work/main/src/sources/ofac-csv.ts';
import { parseCsl } from '/work/main/src/sources/csl.ts';
import { fingerprint } from '/work/main/src/diff.ts';
const d='/work/shared/fixtures/bench/';
const f=(x:string)=>readFileSync(d+x);
try { parseCsl(f('csl_2023-11_watchman_subset.csv')) } catch(e) { console.log('csl err', (e as Error).message) }
for (let i=0;i<2;i++){
let t=performance.now();
const s=parseOfacCsv({primary:f('sdn_2021-07_full.csv'),alt:f('alt_2021-07_full.csv'),add:f('add_2021-07_full.csv')});
console.log('parse trio', performance.now()-t);
t=performance.now();
t=performance.now();
const s2=parseOfacCsv({primary:f('sdn_2024-05-01_full.csv')});
console.log('parse 2024 sdn', performance.now()-t);
t=performance.now();
if (s2.kind==='list') for (const r of s2.records) fingerprint(r);
console.log('fingerprints', performance.now()-t);
}
{
const s2=parseOfacCsv({primary:f('sdn_2024-05-01_full.csv')});
if (s2.kind==='list') { for (let k=0;k<3;k++){ let t=performance.now(); for (const r of s2.records) fingerprint(r); console.log('fp', performance.now()-t);
t=performance.now(); for (const r of s2.records) JSON.stringify(r); console.log('json', performance.now()-t);}}
}
