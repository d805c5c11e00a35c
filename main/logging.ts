import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * main's log file. Only messages and stacks are written: never request inputs, passwords or
 * patient data (handlers do not log; the one door logs only Internal errors).
 */
export function createLogger(logDir: string) {
  mkdirSync(logDir, { recursive: true });
  const file = path.join(logDir, 'main.log');
  const write = (level: string, message: string, error?: unknown) => {
    const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : error === undefined ? '' : `\n${String(error)}`;
    const line = `${new Date().toISOString()} ${level} ${message}${detail}\n`;
    appendFileSync(file, line, { mode: 0o600 });
    if (level === 'ERROR') process.stderr.write(line);
  };
  return {
    info: (message: string) => write('INFO', message),
    error: (message: string, error?: unknown) => write('ERROR', message, error),
  };
}
