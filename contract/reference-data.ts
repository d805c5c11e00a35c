import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty, IsoDate, Uuid } from './common.js';

// Reference data (Admin → Reference data): departments and their consultation fee, room types and their
// daily rate, rooms and beds, staff, doctors and their weekly hours. Each schema says what the
// database's CHECKs say (migration 001, 027), so a value is refused with a sentence before SQL runs;
// what only the database can know (a name already taken, overlapping hours) comes back as a clear Conflict.

const Id = z.number().int().positive().max(2_147_483_647);
const Name = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}`)
    .max(max, `Keep the ${what} under ${max + 1} characters`);
const Optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max + 1} characters`)
    .nullable()
    .default(null);
const Phone = z
  .string()
  .trim()
  .regex(/^[0-9 +()-]{3,15}$/, 'Use up to 15 digits, spaces, + ( ) -')
  .nullable()
  .default(null);
const Email = z.string().trim().toLowerCase().max(100).email('Enter a valid email address').nullable().default(null);
/** NUMERIC(10, 2) >= 0, as typed. */
export const Rate = z
  .string()
  .trim()
  .regex(/^\d{1,8}(\.\d{1,2})?$/, 'Enter an amount like 180 or 180.50 (at most 99,999,999.99)');
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 08:30');

export const DEPARTMENT_KINDS = ['clinical', 'ward', 'support', 'administrative'] as const;
export const ROOM_STATUSES = ['Available', 'Occupied', 'Cleaning', 'Maintenance', 'Closed'] as const;
export const STAFF_ROLES = [
  'doctor',
  'nurse',
  'pharmacist',
  'front_desk',
  'admin',
  'cleaner',
  'driver',
  'technician',
  'billing',
  'dispatcher',
] as const;

export const DepartmentInput = z
  .object({
    departmentId: Id.optional(),
    name: Name('name', 100),
    code: z
      .string()
      .trim()
      .toUpperCase()
      .min(1, 'Enter a code')
      .max(10, 'Keep the code to 10 characters')
      .regex(/^[A-Z0-9-]+$/, 'Use letters, digits and -'),
    kind: z.enum(DEPARTMENT_KINDS),
    location: Optional(100),
    phone: Phone,
    consultationFee: Rate.refine((v) => Number(v) <= 100000, 'At most 100,000'),
    isActive: z.boolean().default(true),
  })
  .strict();

export const RoomTypeInput = z
  .object({
    roomTypeId: Id.optional(),
    typeName: Name('name', 50),
    description: Optional(500),
    dailyRate: Rate,
  })
  .strict();

export const RoomInput = z
  .object({
    roomId: Id.optional(),
    roomNumber: Name('room number', 20),
    roomTypeId: Id,
    departmentId: Id,
    floor: z.number().int().min(-5, 'Floors go down to -5').max(200, 'Floors go up to 200').nullable().default(null),
    bedCount: z.number().int().min(1, 'A room has at least 1 bed').max(50, 'A room has at most 50 beds'),
    status: z.enum(ROOM_STATUSES),
  })
  .strict();

export const StaffInput = z
  .object({
    staffId: Id.optional(),
    firstName: Name('first name', 50),
    lastName: Name('last name', 50),
    role: z.enum(STAFF_ROLES),
    departmentId: Id.nullable().default(null),
    contactNumber: Phone,
    email: Email,
    hireDate: IsoDate.nullable().default(null),
    isActive: z.boolean().default(true),
    /**
     * The sign-in account that is this person (their department is then their ward's and patients' scope):
     * a user id, null to unlink, left out to keep what is there.
     */
    userId: Uuid.nullable().optional(),
  })
  .strict();

export const WorkingHours = z
  .object({ isoWeekday: z.number().int().min(1).max(7), startTime: Time, endTime: Time })
  .strict()
  .refine((h) => h.endTime > h.startTime, { message: 'A shift ends after it starts', path: ['endTime'] });

const WeeklyHours = z.array(WorkingHours).max(21, 'At most 21 shifts a week');

export const DoctorInput = z
  .object({
    doctorId: Id.optional(),
    firstName: Name('first name', 50),
    lastName: Name('last name', 50),
    specialization: Optional(100),
    departmentId: Id.nullable().default(null),
    licenseNumber: Optional(50),
    contactNumber: Phone,
    email: Email,
    slotMinutes: z.number().int().min(5, 'A slot is at least 5 minutes').max(240, 'A slot is at most 240 minutes'),
    isActive: z.boolean().default(true),
    /** The sign-in account that is this doctor (they prescribe as this doctor): as for staff, null unlinks, left out keeps. */
    userId: Uuid.nullable().optional(),
    /** New weekly hours, saved in the same transaction as the doctor (left out: the hours stay). */
    hours: WeeklyHours.optional(),
  })
  .strict();

export const Department = DepartmentInput.required({ departmentId: true }).extend({ rooms: z.number().int() });
export const RoomType = RoomTypeInput.required({ roomTypeId: true }).extend({ rooms: z.number().int() });
export const Room = RoomInput.required({ roomId: true });
export const StaffMember = StaffInput.required({ staffId: true }).extend({
  userId: Uuid.nullable(),
  /** The linked account's email, for the admin to recognise it. */
  accountEmail: z.string().nullable(),
  hasAccount: z.boolean(),
});
export const DoctorRecord = DoctorInput.omit({ hours: true })
  .required({ doctorId: true })
  .extend({
    userId: Uuid.nullable(),
    accountEmail: z.string().nullable(),
    hours: z.array(z.object({ isoWeekday: z.number().int(), startTime: z.string(), endTime: z.string() })),
  });
export type Department = z.infer<typeof Department>;
export type RoomType = z.infer<typeof RoomType>;
export type Room = z.infer<typeof Room>;
export type StaffMember = z.infer<typeof StaffMember>;
export type DoctorRecord = z.infer<typeof DoctorRecord>;

export const referenceDataChannels = {
  'reference/list-places': defineChannel({
    input: Empty,
    output: z.object({ departments: z.array(Department), roomTypes: z.array(RoomType), rooms: z.array(Room) }),
    access: 'settings.manage',
    doc: 'Departments, room types with their rates, and rooms with their beds.',
  }),
  'reference/save-department': defineChannel({
    input: DepartmentInput,
    output: z.object({ departmentId: Id }),
    access: 'settings.manage',
    doc: 'Adds or changes a department (and its consultation fee).',
  }),
  'reference/save-room-type': defineChannel({
    input: RoomTypeInput,
    output: z.object({ roomTypeId: Id }),
    access: 'settings.manage',
    doc: 'Adds or changes a room type and its daily rate.',
  }),
  'reference/save-room': defineChannel({
    input: RoomInput,
    output: z.object({ roomId: Id }),
    access: 'settings.manage',
    doc: 'Adds or changes a room: its type, department, floor, beds and state.',
  }),
  'reference/list-people': defineChannel({
    input: Empty,
    output: z.object({ staff: z.array(StaffMember), doctors: z.array(DoctorRecord) }),
    access: 'users.manage',
    doc: 'Staff and doctors, with each doctor’s weekly hours.',
  }),
  'reference/save-staff': defineChannel({
    input: StaffInput,
    output: z.object({ staffId: Id }),
    access: 'users.manage',
    doc: 'Adds or changes a member of staff.',
  }),
  'reference/save-doctor': defineChannel({
    input: DoctorInput,
    output: z.object({ doctorId: Id }),
    access: 'users.manage',
    doc: 'Adds or changes a doctor, and links the sign-in account they prescribe from.',
  }),
  'reference/set-doctor-hours': defineChannel({
    input: z.object({ doctorId: Id, hours: WeeklyHours }).strict(),
    output: z.object({ doctorId: Id, shifts: z.number().int() }),
    access: 'users.manage',
    doc: 'Replaces a doctor’s weekly working hours (shifts on one day may not overlap).',
  }),
} satisfies ChannelMap<'reference'>;
