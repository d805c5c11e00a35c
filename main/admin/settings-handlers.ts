import { getDatabaseSettings, saveDatabaseSettings, saveTerminalIdentity } from '../config/database-settings.js';
import { failure } from '../shared/failure.js';
import { actingUserId, inTransaction, local, reading, type HandlerContext } from '../ipc/handler-types.js';
import { readSecuritySettings, saveSecuritySettings } from './security-settings-service.js';

const settingsOf = (ctx: HandlerContext) => {
  if (!ctx.databaseSettings) throw failure('Unavailable', 'Settings cannot be changed on this workstation.');
  return ctx.databaseSettings;
};

export const settingsHandlers = {
  'settings/get-security': reading<'settings/get-security'>((trx) => readSecuritySettings(trx)),
  'settings/save-security': inTransaction<'settings/save-security'>((trx, input, ctx) =>
    saveSecuritySettings(trx, input, actingUserId(ctx), ctx.now()),
  ),
  'settings/get-database': local<'settings/get-database'>((_input, ctx) => getDatabaseSettings(settingsOf(ctx))),
  'settings/save-database': local<'settings/save-database'>(async (input, ctx) => {
    await saveDatabaseSettings(settingsOf(ctx), input);
    // Who changed where the workstation connects: never the password.
    ctx.logInfo(
      `Database settings changed to ${input.target === 'server' ? `${input.server.user}@${input.server.host}:${input.server.port}/${input.server.database}` : 'the local database'} by ${ctx.session?.user.email}`,
    );
    return { appliesAfterRestart: true as const };
  }),
  'settings/save-terminal': local<'settings/save-terminal'>(async (input, ctx) => {
    await saveTerminalIdentity(settingsOf(ctx), input);
    ctx.logInfo(`Workstation renamed to "${input.name}" (${input.role}) by ${ctx.session?.user.email}`);
    return { appliesAfterRestart: true as const };
  }),
};
