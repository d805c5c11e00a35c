import type { Department } from '../../../contract/index.js';
import { OptionalSelect } from '../ui/optional-select.js';

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
  const options = departments.map((d) => ({ value: d.departmentId, text: d.name }));
  return <OptionalSelect label={label} options={options} value={value} onChange={onChange} />;
}
