// The custom elements manifest (custom-elements.json) and the editor data made from it.
// The analyzer reads the TypeScript sources, for their JSDoc; the manifest describes what the
// package ships, so every module path is rewritten to its compiled file under dist/.
import { readFileSync, writeFileSync } from 'node:fs';
import { customElementJetBrainsPlugin } from 'custom-element-jet-brains-integration';
import { customElementVsCodePlugin } from 'custom-element-vs-code-integration';

/** `src/a/b.ts`, `/src/a/b.js` → `dist/a/b.js`. */
const shippedPath = (path) => path.replace(/^\/?src\/(.*)\.(ts|js)$/, 'dist/$1.js');

/**
 * Our define modules register through `defineElement(tag, Class)` (which never throws on a
 * taken tag), not `customElements.define`: record each call as the analyzer records a define
 * call, a `custom-element-definition` export pointing at the class's own module. The re-export
 * of the class beside it is pointed at that module too, where the analyzer leaves it at the
 * define module, which declares nothing. The `customElements.define(tag, element)` inside
 * defineElement itself defines no particular tag (its name is a variable), so it is dropped.
 */
function defineElementCalls() {
  return {
    name: 'colloquy-define-element-calls',
    analyzePhase({ ts, node, moduleDoc, context }) {
      if (!ts.isCallExpression(node) || node.expression.getText() !== 'defineElement') return;
      const [tag, element] = node.arguments;
      if (!tag || !element || !ts.isStringLiteral(tag) || !ts.isIdentifier(element)) return;
      const imported = context.imports?.find((i) => i.name === element.text && !i.isBareModuleSpecifier);
      const module = imported
        ? new URL(imported.importPath, `file:///${moduleDoc.path}`).pathname
        : moduleDoc.path;
      moduleDoc.exports = [
        ...(moduleDoc.exports ?? []).map((entry) =>
          entry.kind === 'js' && entry.name === element.text && entry.declaration.module === moduleDoc.path
            ? { ...entry, declaration: { name: element.text, module } }
            : entry,
        ),
        { kind: 'custom-element-definition', name: tag.text, declaration: { name: element.text, module } },
      ];
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules)
        module.exports = module.exports?.filter(
          (entry) => entry.kind !== 'custom-element-definition' || entry.name.includes('-'),
        );
    },
  };
}

/**
 * Events are classes, one per file under src/events/, each naming its event in its `super()`
 * call. Every `@fires name {Type}` of an element must name such a class, whose event name is
 * `name`; the type then gets a reference to the class's module, so tools (and the framework
 * types made from this manifest) can import it. A missing or wrong type fails the build.
 */
function typedEvents() {
  /** Event class name → the event name it passes to `super()`. */
  const eventNames = new Map();
  return {
    name: 'colloquy-typed-events',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const extendsEvent = node.heritageClauses?.some((clause) =>
        clause.types.some((type) => /^(Custom)?Event$/.test(type.expression.getText())),
      );
      if (!extendsEvent) return;
      const visit = (child) => {
        if (ts.isCallExpression(child) && child.expression.kind === ts.SyntaxKind.SuperKeyword) {
          const [name] = child.arguments;
          if (name && ts.isStringLiteral(name)) eventNames.set(node.name.text, name.text);
        }
        ts.forEachChild(child, visit);
      };
      visit(node);
    },
    packageLinkPhase({ customElementsManifest }) {
      const declaredIn = new Map();
      for (const module of customElementsManifest.modules)
        for (const declaration of module.declarations ?? [])
          if (declaration.kind === 'class') declaredIn.set(declaration.name, module.path);
      const problems = [];
      for (const module of customElementsManifest.modules)
        for (const element of module.declarations ?? []) {
          if (!element.customElement) continue;
          for (const event of element.events ?? []) {
            const type = event.type?.text;
            const where = `<${element.tagName}> event ${event.name}`;
            if (!type) problems.push(`${where} has no type: write @fires ${event.name} {EventClass} - …`);
            else if (eventNames.get(type) !== event.name)
              problems.push(`${where} is typed ${type}, which is not the event class of ${event.name}`);
            else
              event.type.references = [
                { name: type, module: declaredIn.get(type), start: 0, end: type.length },
              ];
          }
        }
      if (problems.length) throw new Error(`custom-elements.json:\n  ${problems.join('\n  ')}`);
    },
  };
}

/**
 * Points every module path at the compiled file the package ships, relative to the package
 * root as the schema wants (the analyzer leaves re-exports relative to the re-exporting module).
 */
function shippedModulePaths() {
  const rewrite = (value, from) => {
    if (Array.isArray(value)) {
      for (const child of value) rewrite(child, from);
    } else if (value && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) {
        if ((key === 'path' || key === 'module') && typeof child === 'string') {
          const relative = child.startsWith('./') || child.startsWith('../');
          value[key] = shippedPath(relative ? new URL(child, `file:///${from}`).pathname : child);
        } else rewrite(child, from);
      }
  };
  return {
    name: 'colloquy-shipped-module-paths',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) rewrite(module, module.path);
    },
  };
}

/**
 * The web-types' attribute and property types are TypeScript (`'light' | 'dark' | 'auto'`),
 * which JetBrains IDEs read only when the file says so; the generator does not.
 */
function webTypesInTypeScript(file) {
  return {
    name: 'colloquy-web-types-syntax',
    packageLinkPhase() {
      const webTypes = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, `${JSON.stringify({ ...webTypes, 'js-types-syntax': 'typescript' }, null, 2)}\n`);
    },
  };
}

const editorData = {
  outdir: 'dist',
  descriptionSrc: 'summary',
  hideMethodDocs: true,
  // The custom properties have entries of their own in the CSS data, with their descriptions;
  // in an element's description they would only repeat them, with no default to show.
  hideCssPropertiesDocs: true,
  hideLogs: true,
};

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.fixtures.ts', 'src/test-env.ts', 'src/console/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [
    defineElementCalls(),
    typedEvents(),
    shippedModulePaths(),
    customElementVsCodePlugin({
      ...editorData,
      htmlFileName: 'vscode.html-custom-data.json',
      cssFileName: 'vscode.css-custom-data.json',
    }),
    customElementJetBrainsPlugin({
      ...editorData,
      packageJson: false,
      // Each element's class and the module the package ships it in, for "go to declaration".
      modulePathTemplate: (_name, modulePath) => `./${modulePath}`,
    }),
    webTypesInTypeScript('dist/web-types.json'),
  ],
};
