import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The app's data folder as Electron names it (userData), or CLINIC_DATA_DIR: where the CLIs find the embedded database. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLINIC_DATA_DIR) return path.resolve(env.CLINIC_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'clinic-workstation');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'clinic-workstation');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'clinic-workstation');
}

/** The port of the server running on a data folder (postmaster.pid's 4th line), or null when none runs. */
export async function runningServerPort(clusterDir: string): Promise<number | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null; // a stale file from a crash
  }
  return Number(lines[3]) || null;
}
