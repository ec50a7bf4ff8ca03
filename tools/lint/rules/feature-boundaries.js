// The layout's import boundaries (docs/design.md, "Layout"): a feature module imports the platform
// and packages/*, never another module's internals; the platform imports no module; packages import
// no app. Paths are resolved, so `../../modules/x` and `../x` are judged by where they land.
import { dirname, relative, resolve, sep } from 'node:path';

const appsImportedByName = /^@flightdeck\/(bff|web)(\/|$)/;

/** `{area, name}` of a file under apps/bff/src: a module's folder, the platform, or elsewhere. */
function placeOf(path, root) {
  const rel = relative(root, path).split(sep);
  if (rel[0] === 'apps' && rel[1] === 'bff' && rel[2] === 'src') {
    if (rel[3] === 'modules' && rel.length > 5) return { area: 'module', name: rel[4] };
    if (rel[3] === 'platform') return { area: 'platform', name: rel[4] };
    return { area: 'bff', name: rel[3] };
  }
  if (rel[0] === 'packages') return { area: 'package', name: rel[1] };
  return { area: 'other', name: rel[0] };
}

/** @type {import('eslint').Rule.RuleModule} */
export const featureBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Feature modules, the platform and packages import only what the layout allows' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      otherModule:
        "modules/{{from}} imports modules/{{to}}'s internals ({{spec}}): ask through the platform or a decorator modules/{{to}}/plugin.ts declares.",
      platformImportsModule:
        'The platform imports a feature module ({{spec}}): the platform holds nothing feature-specific; let the module register with it.',
      packageImportsApp: 'packages/{{from}} imports an app ({{spec}}): arrows point from apps to packages.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = placeOf(file, root);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string') return;
      if (from.area === 'package' && appsImportedByName.test(spec)) {
        context.report({
          node: node.source,
          messageId: 'packageImportsApp',
          data: { from: from.name, spec },
        });
        return;
      }
      if (!spec.startsWith('.')) return;
      const to = placeOf(resolve(dirname(file), spec), root);
      if (from.area === 'module' && to.area === 'module' && to.name !== from.name)
        context.report({
          node: node.source,
          messageId: 'otherModule',
          data: { from: from.name, to: to.name, spec },
        });
      else if (from.area === 'platform' && to.area === 'module')
        context.report({ node: node.source, messageId: 'platformImportsModule', data: { spec } });
      else if (from.area === 'package' && to.area !== 'package')
        context.report({
          node: node.source,
          messageId: 'packageImportsApp',
          data: { from: from.name, spec },
        });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
