// A child process that appends to the outbox as fast as it can and prints "ACK <key>" after each
// append has returned (that is, after fsync) — what the app would then tell the clerk as "saved".
// The durability test SIGKILLs it at a random moment.
import { randomUUID } from 'node:crypto';
import { openOutbox } from '../../main/offline/outbox.js';

const [dir, keyHex, trial] = process.argv.slice(2);
const outbox = openOutbox(dir!, Buffer.from(keyHex!, 'hex'));
for (let i = 0; ; i += 1) {
  const key = randomUUID();
  outbox.append({
    key,
    userId: '00000000-0000-4000-8000-000000000001',
    createdAt: new Date().toISOString(),
    channel: 'scheduling/book-appointment',
    // Varying sizes, so kills land inside records of different lengths.
    input: { trial, i, note: 'x'.repeat((i * 97) % 3000) },
    dependsOn: [],
  });
  process.stdout.write(`ACK ${key}\n`);
}
