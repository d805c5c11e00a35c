import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty, IsoDate, IsoDateTime, PatientId } from './common.js';

// Ambulance: the fleet board (available, on call, maintenance, out of service), dispatch (pickup,
// destination, the patient when known, crew), a run's steps en route → arrived → returned (or
// cancelled), and response times per day. One open run per vehicle is the database's rule.

const Id = z.number().int().positive().max(2_147_483_647);
const Place = z.string().trim().min(3, 'Enter at least 3 characters').max(255, 'Keep it under 255 characters');

export const VehicleStatus = z.enum(['Available', 'OnCall', 'Maintenance', 'OutOfService']);
export type VehicleStatus = z.infer<typeof VehicleStatus>;
export const RunStatus = z.enum(['Dispatched', 'EnRoute', 'Arrived', 'Returned', 'Cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;

export const Run = z.object({
  logId: Id,
  ambulanceId: Id,
  vehicleNumber: z.string(),
  status: RunStatus,
  pickupLocation: z.string().nullable(),
  destination: z.string().nullable(),
  patientId: PatientId.nullable(),
  patientName: z.string().nullable(),
  driverName: z.string().nullable(),
  attendantName: z.string().nullable(),
  dispatchedAt: IsoDateTime,
  enRouteAt: IsoDateTime.nullable(),
  arrivedAt: IsoDateTime.nullable(),
  returnedAt: IsoDateTime.nullable(),
  notes: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

export const Vehicle = z.object({
  ambulanceId: Id,
  vehicleNumber: z.string(),
  equipmentLevel: z.enum(['Basic', 'Advanced', 'Critical']),
  status: VehicleStatus,
  driverName: z.string().nullable(),
  openRun: Run.nullable(),
});
export type Vehicle = z.infer<typeof Vehicle>;

export const CrewMember = z.object({ staffId: Id, name: z.string(), role: z.string() });

export const ResponseDay = z.object({
  day: IsoDate,
  runs: z.number().int(),
  arrived: z.number().int(),
  /** Minutes from dispatch to arrival at the pickup, one decimal; null with no arrivals that day. */
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
  maxMinutes: z.number().nullable(),
});
export type ResponseDay = z.infer<typeof ResponseDay>;

export const ambulanceChannels = {
  'ambulance/get-fleet': defineChannel({
    input: Empty,
    output: z.object({ vehicles: z.array(Vehicle), crew: z.array(CrewMember) }),
    access: 'ambulance.read',
    doc: 'Every vehicle with its state and open run, and the staff who can crew one.',
  }),
  'ambulance/list-runs': defineChannel({
    input: z.object({ days: z.number().int().min(1).max(31).default(1) }).strict(),
    output: z.array(Run),
    access: 'ambulance.read',
    doc: 'Runs dispatched in the last days, latest first.',
  }),
  'ambulance/get-response-times': defineChannel({
    input: z.object({ days: z.number().int().min(1).max(31).default(7) }).strict(),
    output: z.array(ResponseDay),
    access: 'ambulance.read',
    doc: 'Response times (dispatch to arrival) per day.',
  }),
  'ambulance/dispatch-vehicle': defineChannel({
    input: z
      .object({
        ambulanceId: Id,
        pickupLocation: Place,
        destination: Place,
        patientId: PatientId.optional(),
        driverStaffId: Id.optional(),
        attendantStaffId: Id.optional(),
        notes: z.string().trim().max(500, 'Keep the note under 500 characters').optional(),
      })
      .strict(),
    output: z.object({ logId: Id }),
    access: 'ambulance.dispatch',
    doc: 'Dispatches an available vehicle to a pickup.',
  }),
  'ambulance/update-run': defineChannel({
    input: z
      .object({
        logId: Id,
        status: z.enum(['EnRoute', 'Arrived', 'Returned', 'Cancelled']),
        notes: z.string().trim().max(500, 'Keep the note under 500 characters').optional(),
      })
      .strict(),
    output: z.object({ logId: Id, status: RunStatus }),
    access: 'ambulance.dispatch',
    doc: "Records a run's next step: en route, arrived, returned, or cancelled.",
  }),
  'ambulance/set-vehicle-status': defineChannel({
    input: z.object({ ambulanceId: Id, status: z.enum(['Available', 'Maintenance', 'OutOfService']) }).strict(),
    output: z.object({ ambulanceId: Id, status: VehicleStatus }),
    access: 'ambulance.dispatch',
    doc: 'Takes a vehicle off the road or back (not while it is on a run).',
  }),
} satisfies ChannelMap<'ambulance'>;
