// The ambulance feature: fleet board, dispatch, run steps, response times. Other features and the
// composition root import only this file.
export { ambulanceHandlers } from './ambulance-handlers.js';
