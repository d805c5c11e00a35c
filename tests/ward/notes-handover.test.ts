// Nursing and doctor notes (append-only in medical_records, corrected by a new note), the SBAR handover
// prefill, the doses due per bed and on the bed board, and the administration window setting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { medicineCode, wristbandCode } from '../../contract/barcodes.js';
import type { BedBoard, DueMedicinesForBed, Handover, Mar, Note } from '../../contract/ward.js';
import { asUser } from '../support/user-context.js';
import { createMarWorld, type MarWorld } from './mar-world.js';

let w: MarWorld;
const nurse = 'notes-nurse';
const nurse2 = 'notes-nurse-2';
const doctor = 'notes-doctor';
const admin = 'notes-admin';
let patientId: number;
let tdsOrder: number;
let tdsMedicine: number;

beforeAll(async () => {
  w = await createMarWorld(0, 6);
  await w.harness.signIn(nurse, 'nurse@demo.clinic');
  await w.harness.signIn(nurse2, 'nurse2@demo.clinic');
  await w.harness.signIn(doctor, 'doctor@demo.clinic');
  await w.harness.signIn(admin, 'admin@demo.clinic');
  patientId = await w.newPatient('Handed');
  await w.value(nurse, 'ward/admit-patient', { patientId, roomId: w.rooms['WA-04']!, bedNumber: 1, notes: 'Fall at home, hip pain' });
  const medicine = await w.plainMedicine();
  tdsMedicine = medicine.medicine_id;
  tdsOrder = await w.order(patientId, tdsMedicine, { code: 'TDS' });
  await w.allergy(patientId, 'penicillin');
  await w.value(nurse, 'ward/record-observation', {
    patientId,
    takenAt: new Date(w.now().getTime() - 10 * 60_000).toISOString(),
    vitals: { respirationRate: 22, spo2: 95, onOxygen: false, systolicBp: 105, pulse: 95, consciousness: 'A', temperature: 38.2 },
  });
});
afterAll(() => w.database.drop());

describe('notes', () => {
  it("a nurse writes a nursing note, a doctor a doctor's note (from the role, never the input)", async () => {
    const nursing = await w.value<Note>(nurse, 'ward/add-note', { patientId, text: 'Settled overnight, pain 3/10.' });
    expect(nursing).toMatchObject({ kind: 'nursing', author: 'Nia Nurse', enteredInError: false, correctsNoteId: null });
    const doctors = await w.call(doctor, 'ward/add-note', { patientId, text: 'Reviewed: continue antibiotics.' });
    if (doctors.ok) expect(doctors.value).toMatchObject({ kind: 'doctor' });
    else expect(doctors.error.code).toBe('NotFound'); // the doctor may not be this ward's
    expect(await w.call(nurse, 'ward/add-note', { patientId, text: 'x', kind: 'doctor' } as never)).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
  });

  it('a correction is a new note marking the old entered-in-error; only its author corrects it', async () => {
    const first = await w.value<Note>(nurse, 'ward/add-note', { patientId, text: 'Temperature 39.2, paracetamol given.' });
    expect(await w.call(nurse2, 'ward/add-note', { patientId, text: 'Not mine to fix.', correctsNoteId: first.noteId })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    const fix = await w.value<Note>(nurse, 'ward/add-note', {
      patientId,
      text: 'Temperature 38.2 (misread).',
      correctsNoteId: first.noteId,
    });
    expect(fix.correctsNoteId).toBe(first.noteId);
    expect(await w.call(nurse, 'ward/add-note', { patientId, text: 'Again.', correctsNoteId: first.noteId })).toMatchObject({
      ok: false,
      error: { code: 'Conflict' },
    });
    const notes = await w.value<Note[]>(nurse, 'ward/list-notes', { patientId });
    expect(notes[0]!.noteId).toBe(fix.noteId);
    expect(notes.find((n) => n.noteId === first.noteId)!.enteredInError).toBe(true);
  });

  it('the database keeps notes append-only for the app role: no edit, no delete, no wrong kind, no un-marking', async () => {
    const note = await w.value<Note>(nurse, 'ward/add-note', { patientId, text: 'Mobilised with frame.' });
    const attempt = (query: string, params: unknown[]) =>
      asUser(w.database.appPool, 'nurse@demo.clinic', (c) => c.query(query, params)).then(
        (r) => `done ${r.rowCount}`,
        (e: Error) => e.message,
      );
    expect(await attempt(`UPDATE medical_records SET notes = 'edited' WHERE record_id = $1`, [note.noteId])).toContain('append-only');
    expect(await attempt(`DELETE FROM medical_records WHERE record_id = $1`, [note.noteId])).toMatch(/done 0|append-only/);
    expect(
      await attempt(
        `INSERT INTO medical_records (patient_id, note_kind, notes, created_by) VALUES ($1, 'doctor', 'I am a doctor', app_current_user_id())`,
        [patientId],
      ),
    ).toContain('written by a doctor');
    const [{ text }] = (await w.database.ownerPool.query(`SELECT notes AS text FROM medical_records WHERE record_id = $1`, [note.noteId]))
      .rows;
    expect(text).toBe('Mobilised with frame.');
  });
});

describe('doses due and the handover', () => {
  it('the bed board counts the doses due in the next hour; the due list names them per bed', async () => {
    const board = await w.value<BedBoard>(nurse, 'ward/get-bed-board', {});
    expect(board.beds.find((b) => b.patient?.patientId === patientId)!.patient!.dueNextHour).toBe(1);
    const due = await w.value<DueMedicinesForBed[]>(nurse, 'ward/get-due-medicines', {});
    expect(due.find((b) => b.patientId === patientId)).toMatchObject({
      roomNumber: 'WA-04',
      doses: [{ prescriptionId: tdsOrder, state: 'due', scheduledFor: w.local(0, 8).toISOString() }],
    });
  });

  it('SBAR: bed, name, age, days in and reason; allergies and medicines; observations, NEWS2, doses due and missed; notes', async () => {
    const handover = await w.value<Handover>(nurse, 'ward/get-handover', {});
    const sheet = handover.patients.find((p) => p.patientId === patientId)!;
    expect(sheet.situation).toMatchObject({
      roomNumber: 'WA-04',
      bedNumber: 1,
      name: 'Ward Handed',
      reason: 'Fall at home, hip pain',
      daysSinceAdmission: 0,
    });
    expect(sheet.background.allergies[0]).toContain('penicillin');
    expect(sheet.background.activeMedicines[0]!.frequencyText).toBe('TDS: 08:00, 14:00, 20:00');
    expect(sheet.assessment.news2).toMatchObject({ score: sheet.assessment.lastObservation!.news2Score });
    expect(sheet.assessment.news2!.score).toBeGreaterThan(0);
    // Due now, and the next 12 hours' doses.
    expect(sheet.assessment.dosesDue.map((d) => d.scheduledFor)).toEqual([8, 14, 20].map((h) => w.local(0, h).toISOString()));
    expect(sheet.assessment.dosesMissed.map((d) => d.scheduledFor)).toEqual([w.local(-1, 14).toISOString(), w.local(-1, 20).toISOString()]);
    expect(sheet.assessment.lastNotes.length).toBeGreaterThan(0);
    // What stands is handed over: the note marked entered-in-error above is not, its correction is.
    const handed = sheet.assessment.lastNotes.map((n) => n.text);
    expect(handed).toContain('Temperature 38.2 (misread).');
    expect(handed).not.toContain('Temperature 39.2, paracetamol given.');
    expect(sheet.assessment.lastNotes.every((n) => !n.enteredInError)).toBe(true);
    expect(sheet.recommendation).toBe('');
  });

  it('once given, the dose leaves the due count', async () => {
    await w.value(nurse, 'ward/administer-dose', {
      patientId,
      wristbandScan: wristbandCode(patientId),
      medicineScan: medicineCode(tdsMedicine),
    });
    const board = await w.value<BedBoard>(nurse, 'ward/get-bed-board', {});
    expect(board.beds.find((b) => b.patient?.patientId === patientId)!.patient!.dueNextHour).toBe(0);
  });
});

describe('the administration window', () => {
  it('an administrator sets it; a nurse may not; the MAR uses it', async () => {
    expect(await w.call(nurse, 'ward/set-administration-window', { minutes: 30 })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    expect(await w.value(admin, 'ward/set-administration-window', { minutes: 5 }).catch((e: Error) => e.message)).toContain('Validation');
    expect(await w.value(admin, 'ward/set-administration-window', { minutes: 30 })).toEqual({ minutes: 30 });
    const mar = await w.value<Mar>(nurse, 'ward/get-mar', { patientId });
    expect(mar.windowMinutes).toBe(30);
    await w.value(admin, 'ward/set-administration-window', { minutes: 60 });
  });
});
