// Runs inside a dbus session (or deliberately without one) and reports what the keychain did.
import { deleteSecret, KeychainUnavailable, readSecret, saveSecret } from '../../main/config/keychain.js';

const account = `test-account-${process.pid}`;
const report: Record<string, unknown> = {};
try {
  report.before = readSecret(account);
  saveSecret(account, 'correct horse battery staple');
  report.afterSave = readSecret(account);
  saveSecret(account, 'rotated');
  report.afterRotate = readSecret(account);
  deleteSecret(account);
  report.afterDelete = readSecret(account);
} catch (error) {
  report.error = error instanceof KeychainUnavailable ? 'KeychainUnavailable' : String(error);
  report.message = (error as Error).message;
}
process.stdout.write(JSON.stringify(report));
