// The admin feature: users and roles, security settings, this workstation's database and identity.
import type { adminChannels } from '../../contract/admin.js';
import type { HandlersFor } from '../ipc/handler-types.js';
import { settingsHandlers } from './settings-handlers.js';
import { userAdminHandlers } from './user-handlers.js';

export const adminHandlers = { ...userAdminHandlers, ...settingsHandlers } satisfies HandlersFor<typeof adminChannels>;
