/** A choice of one of `options`, or none: "None" stands for null. */
export function OptionalSelect<V extends string | number>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: { value: V; text: string }[];
  value: V | null;
  onChange(value: V | null): void;
}) {
  return (
    <select
      aria-label={label}
      value={value ?? ''}
      onChange={(e) => onChange(options.find((o) => String(o.value) === e.target.value)?.value ?? null)}
    >
      <option value="">None</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.text}
        </option>
      ))}
    </select>
  );
}
