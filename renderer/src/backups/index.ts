// Admin → Backups (issue #12): the embedded database's backups and restores; the archiver on a hospital's server.
export { BackupsScreen } from './backups-screen.js';
