// The ward terminal's downtime copy: the composition root imports only this file.
export { wardCopyHandlers } from './ward-copy-handlers.js';
export { createWardCopy, type WardCopy, type WardCopyOptions } from './ward-copy.js';
