// The layering is enforced by ESLint, which CI runs on the tree (npm run lint); this checks that
// the rule itself still bites.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

describe('import boundaries', () => {
  // The files linted here exist only in the test, so they have no types: the syntax rules only.
  const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
  const lint = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.message);

  it.each([
    [
      'src/poll/x.ts',
      "import { adapterFactories } from '../../adapters/index.js';\nexport const a = adapterFactories;\n",
      /must not import adapters/,
    ],
    [
      'src/x.ts',
      "import { App } from '@slack/bolt';\nexport const a = App;\n",
      /Platform SDKs belong in adapters/,
    ],
    [
      'db/x.ts',
      "import { Client } from 'discord.js';\nexport const a = Client;\n",
      /Platform SDKs belong in adapters/,
    ],
    [
      'db/x.ts',
      "import { pollSource } from '../src/poll/poll-source.js';\nexport const a = pollSource;\n",
      /may import types from src\/, never code/,
    ],
  ])('%s may not import that', async (file, code, message) => {
    expect((await lint(file, code)).join('\n')).toMatch(message);
  });

  it('allows adapters to import the core and db/ to import core types', async () => {
    expect(
      await lint(
        'adapters/x/y.ts',
        "import { formatAlertText } from '../../src/alerts/format-text.js';\nexport const a = formatAlertText;\n",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'db/x.ts',
        "import type { Alert } from '../src/domain.js';\nexport type A = Alert;\n",
      ),
    ).toEqual([]);
  });
});
