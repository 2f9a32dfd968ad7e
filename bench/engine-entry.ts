// Entry point bundled by bench/download.mjs: the engine as the CLI will ship it (one ESM bundle).
export { createDispatcher } from '../src/fetch/dispatcher.js';
export { downloadToStore } from '../src/fetch/download.js';
export { tuneV8 } from '../src/fetch/v8-tuning.js';
