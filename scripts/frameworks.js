// Writes the framework integrations from the custom elements manifest, so they never drift
// from the elements: typed JSX for React 19 and Preact, Vue's GlobalComponents, Svelte's
// element types (packages/widget/dist/types/), and the @lit/react components of
// @colloquy/react (packages/react/dist/). Run by `npm run build` after the manifest.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const widget = new URL('../packages/widget/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', widget), 'utf8'));
const INDEX = 'dist/index.js';

/**
 * @typedef {{ name: string, property: string | undefined, description: string | undefined }} Input
 *   An attribute (`name` as written in markup; `property` the field it sets, if any) or a
 *   property without an attribute (`name` === `property`).
 * @typedef {{ name: string, type: string, module: string, description: string | undefined }} Emitted
 * @typedef {{ tag: string, className: string, module: string, summary: string,
 *   attributes: Input[], properties: Input[], events: Emitted[] }} Element
 */

/** @returns {Element[]} every custom element the package defines, in tag order. */
function elements() {
  const defined = new Map();
  for (const module of manifest.modules)
    for (const entry of module.exports ?? [])
      if (entry.kind === 'custom-element-definition') defined.set(entry.declaration.name, entry.name);
  const found = [];
  for (const module of manifest.modules)
    for (const declaration of module.declarations ?? []) {
      const tag = defined.get(declaration.name);
      if (!declaration.customElement || !tag) continue;
      const attributes = (declaration.attributes ?? []).map((a) => ({
        name: a.name,
        property: a.fieldName,
        description: a.description,
      }));
      const withAttribute = new Set(attributes.map((a) => a.property));
      const properties = (declaration.members ?? [])
        .filter((m) => m.kind === 'field' && !m.static && !m.readonly && (m.privacy ?? 'public') === 'public')
        .filter((m) => !withAttribute.has(m.name))
        .map((m) => ({ name: m.name, property: m.name, description: m.description }));
      const events = (declaration.events ?? []).map((e) => {
        const reference = e.type?.references?.[0];
        if (!reference?.module)
          throw new Error(`<${tag}> ${e.name}: the manifest gives no event class module`);
        return { name: e.name, type: reference.name, module: reference.module, description: e.description };
      });
      found.push({
        tag,
        className: declaration.name,
        module: module.path,
        summary: declaration.summary ?? declaration.description ?? '',
        attributes,
        properties,
        events,
      });
    }
  if (found.length === 0) throw new Error('custom-elements.json defines no elements');
  return found.sort((a, b) => a.tag.localeCompare(b.tag));
}

const doc = (text, indent = '  ') =>
  text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\n/g, `\n${indent} * `)} */\n` : '';
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
const pascal = (name) => name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());

/** `import type { A, B } from '…'` lines, grouped by module, relative to `from` (a dist/ path). */
function typeImports(names, from) {
  const depth = from.split('/').length - 2; // dist/types/x.d.ts → ../
  const prefix = depth > 0 ? '../'.repeat(depth) : './';
  const byModule = new Map();
  for (const [name, module] of names) {
    const specifier = `${prefix}${module.replace(/^dist\//, '')}`;
    byModule.set(specifier, new Set([...(byModule.get(specifier) ?? []), name]));
  }
  return [...byModule]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([specifier, set]) => `import type { ${[...set].sort().join(', ')} } from '${specifier}';`)
    .join('\n');
}

const usedTypes = (list) => {
  const names = new Map();
  for (const element of list) {
    names.set(element.className, element.module);
    for (const event of element.events) names.set(event.type, event.module);
  }
  return names;
};

/**
 * The element's inputs as keys of an attributes object, one per line at `pad`. An input named
 * like its property is set as that property by React 19, Preact and Svelte, so it takes the
 * property's type; an attribute named otherwise (`heading-level`) is set as an attribute, any
 * string the element converts, and its property (`headingLevel`) is offered beside it.
 */
function inputs(element, pad, { orNull = false } = {}) {
  const tail = orNull ? ' | null' : '';
  const keys = new Map();
  const add = (name, type, description) => {
    if (!keys.has(name)) keys.set(name, `${doc(description, pad)}${pad}${key(name)}?: ${type}${tail};`);
  };
  for (const input of [...element.attributes, ...element.properties]) {
    if (!input.property) {
      add(input.name, 'string', input.description);
      continue;
    }
    const type = `${element.className}['${input.property}']`;
    add(input.name, input.name === input.property ? type : `${type} | string`, input.description);
    add(input.property, type, input.description);
  }
  return [...keys.values()].join('\n');
}

/** `oncolloquy-reply-posted`: React 19, Preact and Svelte 5 listen to the event named after `on`. */
const eventAttributes = (element, pad, prefix = 'on') =>
  element.events
    .map((e) => `${doc(e.description, pad)}${pad}'${prefix}${e.name}'?: (event: ${e.type}) => void;`)
    .join('\n');

const header = (what) =>
  `// ${what}\n// Generated from custom-elements.json by scripts/frameworks.js: do not edit.\n`;

function react(list) {
  const file = 'dist/types/react.d.ts';
  const entries = list
    .map(
      (
        el,
      ) => `${doc(el.summary, '      ')}      '${el.tag}': React.DetailedHTMLProps<React.HTMLAttributes<${el.className}>, ${el.className}> & {
${inputs(el, '        ')}
${eventAttributes(el, '        ')}
      };`,
    )
    .join('\n');
  return [
    file,
    `${header("The Colloquy elements in React 19 JSX: `import type {} from '@colloquy/widget/types/react'`.")}
import type * as React from 'react';
${typeImports(usedTypes(list), file)}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${entries}
    }
  }
}
`,
  ];
}

function preact(list) {
  const file = 'dist/types/preact.d.ts';
  const entries = list
    .map(
      (el) => `${doc(el.summary, '      ')}      '${el.tag}': HTMLAttributes<${el.className}> & {
${inputs(el, '        ')}
${eventAttributes(el, '        ')}
      };`,
    )
    .join('\n');
  return [
    file,
    `${header("The Colloquy elements in Preact JSX: `import type {} from '@colloquy/widget/types/preact'`.")}
import type { HTMLAttributes } from 'preact';
${typeImports(usedTypes(list), file)}

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
${entries}
    }
  }
}
`,
  ];
}

/**
 * Vue reads a component's template props from `$props` and its events from `$emit`; the
 * elements are described to Vue as components of that shape (Vue's guide, "Web Components and
 * TypeScript"), with Vue's own HTML attributes beside theirs.
 */
function vue(list) {
  const file = 'dist/types/vue.d.ts';
  const entries = list
    .map((el) => {
      const pad = '        ';
      const props = [...el.attributes, ...el.properties]
        .filter(
          (input, i, all) => input.property && all.findIndex((o) => o.property === input.property) === i,
        )
        .map(
          (input) =>
            `${doc(input.description, pad)}${pad}${key(input.property)}?: ${el.className}['${input.property}'];`,
        );
      const events = el.events.map((e) => `${doc(e.description, pad)}${pad}'${e.name}': ${e.type};`);
      return `${doc(el.summary, '    ')}    '${el.tag}': CustomElement<
      ${el.className},
      {
${props.join('\n')}
      },
      {
${events.join('\n')}
      }
    >;`;
    })
    .join('\n');
  return [
    file,
    `${header("The Colloquy elements in Vue templates: add '@colloquy/widget/types/vue' to tsconfig `types`.")}
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
${typeImports(usedTypes(list), file)}

type CustomElement<Element extends HTMLElement, Props, Events extends Record<string, Event>> = new () => Element & {
  /** @deprecated For template type checking only: the element has no \`$props\`. */
  $props: HTMLAttributes & Props & PublicProps;
  /** @deprecated For template type checking only: the element has no \`$emit\`. */
  $emit: EmitFn<{ [Name in keyof Events]: (event: Events[Name]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
${entries}
  }
}
`,
  ];
}

function svelte(list) {
  const file = 'dist/types/svelte.d.ts';
  const entries = list
    .map(
      (el) => `${doc(el.summary, '    ')}    '${el.tag}': HTMLAttributes<${el.className}> & {
${inputs(el, '      ', { orNull: true })}
${eventAttributes(el, '      ')}
${eventAttributes(el, '      ', 'on:')}
    };`,
    )
    .join('\n');
  return [
    file,
    `${header('The Colloquy elements in Svelte markup: `/// <reference types="@colloquy/widget/types/svelte" />`.')}
import type { HTMLAttributes } from 'svelte/elements';
${typeImports(usedTypes(list), file)}

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${entries}
  }
}
`,
  ];
}

/** The element classes and events as exported by `@colloquy/widget`'s main entry. */
function exportedFromIndex(names) {
  const index = manifest.modules.find((m) => m.path === INDEX);
  const exported = new Set((index?.exports ?? []).map((e) => e.name));
  const missing = [...names].filter((n) => !exported.has(n));
  if (missing.length) throw new Error(`@colloquy/widget does not export ${missing.join(', ')}`);
  return [...names].sort();
}

/**
 * @lit/react components, one module each so that a bundler keeps only the elements an app
 * renders. Each registers its element's default tag, through the widget's define module.
 * Event props are `on` + the event name in PascalCase: `onColloquyReplyPosted`.
 */
function reactWrappers(list) {
  const files = [];
  for (const el of list) {
    const events = el.events.map((e) => [`on${pascal(e.name)}`, e]);
    const base = el.tag;
    files.push([
      `dist/${base}.js`,
      `${header(`<${el.tag}> as a React component.`)}import * as React from 'react';
import { createComponent } from '@lit/react';
import { ${el.className} as Element } from '@colloquy/widget/${el.tag}.js';

export const ${el.className} = /* @__PURE__ */ createComponent({
  react: React,
  tagName: '${el.tag}',
  elementClass: Element,
  displayName: '${el.className}',
  events: {
${events.map(([prop, e]) => `    ${prop}: '${e.name}',`).join('\n')}
  },
});
`,
    ]);
    const types = exportedFromIndex(new Set([el.className, ...el.events.map((e) => e.type)]));
    files.push([
      `dist/${base}.d.ts`,
      `${header(`<${el.tag}> as a React component.`)}import type { ReactWebComponent, EventName } from '@lit/react';
import type { ${types.map((t) => (t === el.className ? `${t} as Element` : t)).join(', ')} } from '@colloquy/widget';

${doc(el.summary, '')}export declare const ${el.className}: ReactWebComponent<
  Element,
  {
${events.map(([prop, e]) => `${doc(e.description, '    ')}    ${prop}: EventName<${e.type}>;`).join('\n')}
  }
>;
`,
    ]);
  }
  const index = list.map((el) => `export { ${el.className} } from './${el.tag}.js';`).join('\n');
  files.push([
    'dist/index.js',
    `${header('The Colloquy elements as React components (@lit/react).')}${index}\n`,
  ]);
  files.push([
    'dist/index.d.ts',
    `${header('The Colloquy elements as React components (@lit/react).')}${index}\n`,
  ]);
  return files;
}

function write(root, files) {
  for (const [path, text] of files) {
    const url = new URL(path, root);
    mkdirSync(new URL('.', url), { recursive: true });
    writeFileSync(url, text);
  }
}

const list = elements();
const typeFiles = [react(list), preact(list), vue(list), svelte(list)];
// Each types-only entry also has an empty module, so that a plain `import` of it resolves too.
const stubs = typeFiles.map(([path]) => [
  path.replace(/\.d\.ts$/, '.js'),
  `${header('Types only: see the .d.ts beside this file.')}export {};\n`,
]);
write(widget, [...typeFiles, ...stubs]);
write(new URL('../packages/react/', import.meta.url), reactWrappers(list));
