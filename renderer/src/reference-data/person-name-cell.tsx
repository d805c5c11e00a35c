/**
 * A person's name in a reference table: "Last, First" once saved (names change through their own
 * record, not here); two inputs on the row that adds someone new.
 */
export function PersonNameCell({
  saved,
  newWhat,
  firstName,
  lastName,
  onFirstName,
  onLastName,
}: {
  saved: { firstName: string; lastName: string } | null;
  /** Who the empty row adds, as the inputs' names say it: "the new doctor". */
  newWhat: string;
  firstName: string;
  lastName: string;
  onFirstName(value: string): void;
  onLastName(value: string): void;
}) {
  return (
    <td>
      {saved ? (
        `${saved.lastName}, ${saved.firstName}`
      ) : (
        <span className="row-actions">
          <input aria-label={`First name of ${newWhat}`} value={firstName} onChange={(e) => onFirstName(e.target.value)} maxLength={50} />
          <input aria-label={`Last name of ${newWhat}`} value={lastName} onChange={(e) => onLastName(e.target.value)} maxLength={50} />
        </span>
      )}
    </td>
  );
}
