import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: repoRoot });

/** What `pnpm lint` says of this source, were it the file at `path` (repository-relative). */
async function lint(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(repoRoot, path) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layout’s import boundaries (pnpm lint)', () => {
  it("refuses a module importing another module's internals", async () => {
    const messages = await lint(
      'apps/bff/src/modules/deploys/deploy-service.ts',
      "import { RollbackService } from '../rollbacks/rollback-service.js';\nexport { RollbackService };\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^flightdeck\/feature-boundaries: modules\/deploys imports modules\/rollbacks's internals \(\.\.\/rollbacks\/rollback-service\.js\)/,
      ),
    ]);
  });

  it('judges where an import lands, from any depth and for type-only imports too', async () => {
    const messages = await lint(
      'apps/bff/src/modules/deploys/store/deploy-repository.ts',
      "import type { RollbackTables } from '../../rollbacks/store/rollback-tables.js';\nexport type { RollbackTables };\n",
    );
    expect(messages).toHaveLength(1);
  });

  it('lets a module import the platform, its own files and packages', async () => {
    const messages = await lint(
      'apps/bff/src/modules/deploys/plugin.ts',
      [
        "import { NotFound } from '../../platform/errors/errors.js';",
        "import { DeployService } from './deploy-service.js';",
        "import type { DeployTables } from './store/deploy-tables.js';",
        "import { renderDeployReport } from '@flightdeck/core';",
        'export { NotFound, DeployService, renderDeployReport };',
        'export type { DeployTables };',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });

  it('refuses the platform importing a feature module', async () => {
    const messages = await lint(
      'apps/bff/src/platform/http/server.ts',
      "export { deploysModule } from '../../modules/deploys/plugin.js';\n",
    );
    expect(messages).toEqual([expect.stringMatching(/The platform imports a feature module/)]);
  });

  it('refuses a package importing an app', async () => {
    const messages = await lint(
      'packages/core/src/deploys/readiness-rules.ts',
      "import { startFlightdeck } from '@flightdeck/bff';\nexport { startFlightdeck };\n",
    );
    expect(messages).toEqual([expect.stringMatching(/packages\/core imports an app/)]);
  });

  it('passes on the repository as it is', async () => {
    const results = await eslint.lintFiles(['apps/bff/src']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`));
    expect(problems).toEqual([]);
  });
});
