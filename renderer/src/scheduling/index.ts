// The front desk's public face: its two screens, and the departments helper Admin uses.
export { AttentionScreen } from './attention-screen.js';
export { departmentsOf } from './departments.js';
export { schedulingQueries } from './queries.js';
export { SchedulingScreen } from './scheduling-screen.js';
