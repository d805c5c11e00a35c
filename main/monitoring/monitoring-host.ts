import type pg from 'pg';

/**
 * What only the composition root knows, handed to this feature once at start: the owner's connection
 * for maintenance (the local database only: on a hospital server the app holds no owner password),
 * the data folder whose disk the status light watches, the migrations folder, and the backups
 * feature's last failure. Until set, the screen shows each as not available.
 */
export interface MonitoringHost {
  ownerPool: pg.Pool | null;
  /** This workstation's own database login: its connections are not "another terminal". */
  appLogin: string | null;
  dataDir: string | null;
  migrationsDir: string | null;
  /** The last backup's failure as a sentence, or null when the last one was good (or none is known). */
  backupFailure: () => string | null;
}

const NOTHING: MonitoringHost = { ownerPool: null, appLogin: null, dataDir: null, migrationsDir: null, backupFailure: () => null };
let host: MonitoringHost = NOTHING;

export function configureMonitoringHost(parts: Partial<MonitoringHost>): void {
  host = { ...host, ...parts };
}

/** Back to nothing known (tests, and an app whose database closed). */
export function resetMonitoringHost(): void {
  host = NOTHING;
}

export const monitoringHost = (): MonitoringHost => host;
