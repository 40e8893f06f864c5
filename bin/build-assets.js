#!/usr/bin/env node
// The second half of `npm run build`: tsc compiles the TypeScript into dist/; this copies what the
// compiled program reads at run time and tsc does not emit: the SQL migrations, the built-in
// sources, the Slack manifest, and the demo's bundled real files (so the demo runs from dist/
// alone, e.g. in the container image, without tests/).
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const copy = (from, to = from) => {
  mkdirSync(dirname(join(dist, to)), { recursive: true });
  cpSync(join(root, from), join(dist, to), { recursive: true });
};

for (const f of readdirSync(join(root, 'db', 'migrations')))
  if (f.endsWith('.sql')) copy(join('db', 'migrations', f));
copy('src/config/default-sources.json');
copy('adapters/slack/manifest.yml');
copy('adapters/slack/manifest-http.yml');
// The demo's data, as src/cli/demo-command.ts names it (demo-data/ beside the compiled command).
for (const f of [
  'ofac/sdn_2024-04-04_trimmed.csv',
  'ofac/sdn_2024-04-12_trimmed.csv',
  'pacer_rss/dcd_constructed_v1.xml',
  'pacer_rss/dcd_constructed_v2.xml',
  'ofac/sdn_2024-05-04_EMPTY_download.csv',
  ...['documents_shaped.json', '2021-13753_shaped.txt', '2025-00070_shaped.txt'].map(
    (f) => `federal_register/dod_1260h/${f}`,
  ),
]) {
  copy(join('tests', 'fixtures', f), join('src', 'cli', 'demo-data', f));
}
