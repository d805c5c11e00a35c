// What the ward copy's downtime MAR keeps of the MAR read when it was taken (no database: the filter alone).
import { describe, expect, it } from 'vitest';
import type { DoseState, Mar, MarDose } from '../../../contract/ward.js';
import { stillToDo } from '../../../main/ward/offline/ward-copy-build.js';

const takenAt = '2026-12-02T15:00:00.000Z';
const dose = (scheduledFor: string, state: DoseState): MarDose => ({
  scheduledFor,
  state,
  windowOpensAt: scheduledFor,
  windowClosesAt: scheduledFor,
  administrationId: null,
  recordedAt: null,
  recordedBy: null,
  reason: null,
  witnessedBy: null,
  mayMarkInError: false,
});

const mar = (doses: MarDose[], stoppedAt: string | null = null): Mar => ({
  departmentId: 1,
  timeZone: 'Europe/London',
  windowMinutes: 60,
  from: '2026-12-02T03:00:00.000Z',
  to: '2026-12-03T03:00:00.000Z',
  takenAt,
  patients: [
    {
      patientId: 7,
      name: 'Ward Patient',
      roomNumber: 'WA-01',
      bedNumber: 1,
      allergies: [],
      orders: [
        {
          prescriptionId: 9,
          medicineId: 3,
          medicineName: 'Amoxicillin',
          strength: '500 mg',
          form: 'capsule',
          dose: '500 mg',
          route: 'oral',
          frequency: { code: 'QDS' },
          frequencyText: 'QDS: 06:00, 12:00, 18:00, 22:00',
          instructions: null,
          isControlled: false,
          startsAt: '2026-12-01T06:00:00.000Z',
          stoppedAt,
          doses,
          prn: null,
        },
      ],
    },
  ],
});

describe('the downtime MAR of a ward copy', () => {
  it('keeps the doses to come and the earlier ones left due, late or missed; a dose recorded before the copy stays out', () => {
    const kept = stillToDo(
      mar([
        dose('2026-12-02T06:00:00.000Z', 'given'),
        dose('2026-12-02T06:00:00.000Z', 'missed'),
        dose('2026-12-02T12:00:00.000Z', 'held'),
        dose('2026-12-02T14:30:00.000Z', 'late'),
        dose('2026-12-02T14:50:00.000Z', 'due'),
        dose('2026-12-02T18:00:00.000Z', 'scheduled'),
        dose('2026-12-02T22:00:00.000Z', 'scheduled'),
      ]),
      takenAt,
    );
    expect(kept.patients[0]!.orders[0]!.doses.map((d) => `${d.scheduledFor.slice(11, 16)} ${d.state}`)).toEqual([
      '06:00 missed',
      '14:30 late',
      '14:50 due',
      '18:00 scheduled',
      '22:00 scheduled',
    ]);
  });

  it('leaves out an order stopped before the copy: the paper chart lists only medicines still to give', () => {
    const kept = stillToDo(mar([dose('2026-12-02T06:00:00.000Z', 'given')], '2026-12-02T10:00:00.000Z'), takenAt);
    expect(kept.patients[0]!.orders).toEqual([]);
  });
});
