import type { Department } from '../../../contract/index.js';

/** A choice of department, or none: a doctor's or a member of staff's. */
export function DepartmentSelect({
  label,
  departments,
  value,
  onChange,
}: {
  label: string;
  departments: Department[];
  value: number | null;
  onChange(departmentId: number | null): void;
}) {
  return (
    <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
      <option value="">None</option>
      {departments.map((d) => (
        <option key={d.departmentId} value={d.departmentId}>
          {d.name}
        </option>
      ))}
    </select>
  );
}
