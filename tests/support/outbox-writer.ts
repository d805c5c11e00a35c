// A child process that appends to the outbox as fast as it can and prints "ACK <key>" after each
// append has returned (that is, after fsync) — what the app would then tell the clerk as "saved".
// The durability test SIGKILLs it at a random moment.
import { randomUUID } from 'node:crypto';
import { openOutbox } from '../../main/scheduling/offline/outbox.js';

const [dir, keyHex, trial, userId] = process.argv.slice(2);
const outbox = openOutbox(dir!, Buffer.from(keyHex!, 'hex'));
for (let i = 0; ; i += 1) {
  const key = randomUUID();
  outbox.append({
    key,
    userId: userId!,
    createdAt: new Date().toISOString(),
    channel: 'patients/register-patient',
    // A real walk-in (replayed to PostgreSQL afterwards); addresses of varying length, so kills land
    // inside records of different sizes.
    input: {
      firstName: 'Killed',
      lastName: `Trial${trial}-${i}`,
      dateOfBirth: '1990-01-01',
      address: 'x'.repeat((i * 97) % 250),
      confirmNotDuplicate: true,
    },
    dependsOn: [],
  });
  process.stdout.write(`ACK ${key}\n`);
}
