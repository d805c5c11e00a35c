import type { BackupProgressView } from '../../../contract/index.js';

export const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

const PHASES: Record<BackupProgressView['phase'], string> = {
  starting: 'Starting (checkpoint)…',
  copying: 'Copying',
  finishing: 'Finishing (waiting for the last WAL to be archived)…',
  verifying: 'Verifying: restoring into a scratch database…',
  done: 'Done',
};

/** One sentence for the progress line; the bar shows the copied share. */
export function describeProgress(progress: BackupProgressView): string {
  if (progress.phase !== 'copying') return PHASES[progress.phase];
  return `Copying ${progress.filesDone} of ${progress.filesTotal} files (${megabytes(progress.bytesDone)} of ${megabytes(progress.bytesTotal)})`;
}

/** A datetime-local field's value as an ISO instant in this computer's zone; null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
