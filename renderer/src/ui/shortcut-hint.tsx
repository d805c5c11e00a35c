/** A key or chord shown beside what it does; hidden from screen readers where the label already says it. */
export function ShortcutHint({ keys, hidden = false }: { keys: string; hidden?: boolean }) {
  return <kbd aria-hidden={hidden ? 'true' : undefined}>{keys}</kbd>;
}

/** A screen's shortcut list, as its help shows it. */
export function ShortcutTable({
  shortcuts,
  className,
}: {
  shortcuts: readonly (readonly [keys: string, what: string])[];
  className?: string;
}) {
  return (
    <table className={className ? `data-table shortcuts ${className}` : 'data-table shortcuts'} aria-label="Keyboard shortcuts">
      <tbody>
        {shortcuts.map(([keys, what]) => (
          <tr key={keys}>
            <th scope="row">
              <ShortcutHint keys={keys} />
            </th>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
