-- 010 Patient search as the front desk types: name prefixes in either order, date of birth, phone,
-- patient number, and one typo (trigram similarity). Each index serves one of those shapes.

-- "garc", "garcia mar", "maria garc": prefix on last and first names, case-insensitive.
CREATE INDEX idx_patients_last_first_prefix ON patients (lower(last_name) text_pattern_ops, lower(first_name) text_pattern_ops);
CREATE INDEX idx_patients_first_prefix ON patients (lower(first_name) text_pattern_ops);
-- "gracia" for "garcia": trigram similarity on the whole name.
CREATE INDEX idx_patients_name_trgm ON patients USING gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops);
CREATE INDEX idx_patients_date_of_birth ON patients (date_of_birth);
CREATE INDEX idx_patients_contact_number ON patients (contact_number text_pattern_ops);
