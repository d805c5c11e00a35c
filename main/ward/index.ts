// The ward feature: bed board and census, admit / transfer / discharge, bed cleaning, observations with
// NEWS2. Other features and the composition root import only this file.
export { wardHandlers } from './ward-handlers.js';
export { scoreNews2, type News2Result, type Vitals } from './news2.js';
export { checkVitals } from './vitals-validation.js';
