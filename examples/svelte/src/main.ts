import '@colloquy/widget/define.js';
import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element to mount the app in.');
mount(App, { target });
