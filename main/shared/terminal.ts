import type { TerminalRole } from '../../contract/index.js';

/** This workstation: its name goes into the audit trail, its role sets the idle lock. */
export interface Terminal {
  name: string;
  role: TerminalRole;
}
