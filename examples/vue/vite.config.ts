import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** The Colloquy elements, which Vue must leave to the browser rather than resolve as components. */
const colloquyTags = ['topic-card', 'source-list', 'reply-thread'];

export default defineConfig({
  plugins: [
    vue({
      template: { compilerOptions: { isCustomElement: (tag) => colloquyTags.includes(tag) } },
    }),
  ],
});
