/** Fixed demo reference data: the hospital's shape, not random. */
export const DEPARTMENTS = [
  { name: 'Emergency', code: 'ED', kind: 'clinical' },
  { name: 'General Medicine', code: 'GM', kind: 'clinical' },
  { name: 'Cardiology', code: 'CAR', kind: 'clinical' },
  { name: 'Paediatrics', code: 'PAE', kind: 'clinical' },
  { name: 'Orthopaedics', code: 'ORT', kind: 'clinical' },
  { name: 'Ward A (Medical)', code: 'WA', kind: 'ward' },
  { name: 'Ward B (Surgical)', code: 'WB', kind: 'ward' },
  { name: 'Pharmacy', code: 'PHA', kind: 'support' },
  { name: 'Front Office', code: 'FO', kind: 'administrative' },
] as const;

export const SPECIALIZATIONS: Record<string, string[]> = {
  ED: ['Emergency Medicine'],
  GM: ['Internal Medicine', 'Family Medicine'],
  CAR: ['Cardiology'],
  PAE: ['Paediatrics'],
  ORT: ['Orthopaedic Surgery'],
};

/** One demo user per role; the seed sets one shared demo password it is given or generates. */
export const DEMO_USERS = [
  { email: 'admin@demo.clinic', displayName: 'Alex Admin', role: 'admin', department: 'FO', staffRole: 'admin' },
  { email: 'doctor@demo.clinic', displayName: 'Dr Dana Doctor', role: 'doctor', department: 'GM', staffRole: 'doctor' },
  { email: 'nurse@demo.clinic', displayName: 'Nia Nurse', role: 'nurse', department: 'WA', staffRole: 'nurse' },
  { email: 'pharmacist@demo.clinic', displayName: 'Priya Pharmacist', role: 'pharmacist', department: 'PHA', staffRole: 'pharmacist' },
  { email: 'frontdesk@demo.clinic', displayName: 'Frank Front-Desk', role: 'front_desk', department: 'FO', staffRole: 'front_desk' },
] as const;

export const ROOM_TYPES = [
  { type_name: 'General Ward', description: 'Shared ward room', daily_rate: '180.00' },
  { type_name: 'Private', description: 'Single room', daily_rate: '420.00' },
  { type_name: 'ICU', description: 'Intensive care bed', daily_rate: '1500.00' },
  { type_name: 'Isolation', description: 'Negative-pressure room', daily_rate: '600.00' },
] as const;

export const MEDICINES = [
  { name: 'Paracetamol', generic_name: 'acetaminophen', form: 'tablet', strength: '500 mg', unit_price: '0.05' },
  { name: 'Ibuprofen', generic_name: 'ibuprofen', form: 'tablet', strength: '400 mg', unit_price: '0.08' },
  { name: 'Amoxicillin', generic_name: 'amoxicillin', form: 'capsule', strength: '500 mg', unit_price: '0.20' },
  { name: 'Metformin', generic_name: 'metformin', form: 'tablet', strength: '850 mg', unit_price: '0.06' },
  { name: 'Atorvastatin', generic_name: 'atorvastatin', form: 'tablet', strength: '20 mg', unit_price: '0.12' },
  { name: 'Amlodipine', generic_name: 'amlodipine', form: 'tablet', strength: '5 mg', unit_price: '0.07' },
  { name: 'Omeprazole', generic_name: 'omeprazole', form: 'capsule', strength: '20 mg', unit_price: '0.09' },
  { name: 'Salbutamol', generic_name: 'albuterol', form: 'inhaler', strength: '100 mcg/dose', unit_price: '3.50' },
  { name: 'Morphine', generic_name: 'morphine sulfate', form: 'injection', strength: '10 mg/ml', unit_price: '1.80', is_controlled: true },
  { name: 'Ceftriaxone', generic_name: 'ceftriaxone', form: 'injection', strength: '1 g', unit_price: '2.40' },
  { name: 'Sodium chloride 0.9%', generic_name: 'saline', form: 'infusion', strength: '1000 ml', unit_price: '1.10' },
  { name: 'Insulin glargine', generic_name: 'insulin glargine', form: 'injection', strength: '100 U/ml', unit_price: '12.00' },
] as const;
