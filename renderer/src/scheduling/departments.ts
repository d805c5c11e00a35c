import type { Doctor } from '../../../contract/index.js';

/** The departments the doctors belong to, each once, as [id, name], in the doctors' order. */
export const departmentsOf = (doctors: Doctor[]): [number, string][] => [
  ...new Map(
    doctors.filter((d) => d.departmentId !== null).map((d) => [d.departmentId!, d.departmentName ?? `Department ${d.departmentId}`]),
  ).entries(),
];
