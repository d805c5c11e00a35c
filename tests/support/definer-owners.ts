/** The roles that own SECURITY DEFINER functions: the owner and the NOLOGIN roles that each read only what their functions need. */
export const DEFINER_OWNER_ROLES = [
  'clinic_admission',
  'clinic_auth',
  'clinic_identity',
  'clinic_monitor',
  'clinic_owner',
  'clinic_pharmacy_scope',
  'clinic_phi',
] as const;
