import { useState } from 'react';

/** The key of a table's empty "add" row, and the call that gives it a new one (emptied) once a row is added. */
export function useNewRow() {
  const [added, setAdded] = useState(0);
  return { key: `new-${added}`, startAfresh: () => setAdded((n) => n + 1) };
}
