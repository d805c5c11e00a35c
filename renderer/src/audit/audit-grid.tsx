import { createColumnHelper, FlexRender, tableFeatures, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { AuditEntry } from '../../../contract/index.js';

const features = tableFeatures({});
const column = createColumnHelper<typeof features, AuditEntry>();
const columns = column.columns([
  column.accessor('logId', { header: 'Log id' }),
  column.accessor('at', { header: 'Time (UTC)', cell: (info) => info.getValue().replace('T', ' ').replace('Z', '') }),
  column.accessor('tableName', { header: 'Table' }),
  column.accessor('action', { header: 'Action' }),
  column.accessor((row) => row.userName ?? row.userId ?? '—', { id: 'user', header: 'User' }),
  column.accessor((row) => row.dbLogin ?? '', { id: 'login', header: 'Login' }),
  column.accessor((row) => row.patientId ?? '', { id: 'patient', header: 'Patient' }),
  column.accessor('detail', { header: 'Detail' }),
]);
const ROW_HEIGHT = 30;

/**
 * The audit rows read so far, drawn only where the eye is (virtual rows); scrolling near the end asks
 * for the next keyset page, so a million rows are never all in memory.
 */
export function AuditGrid({ rows, hasMore, loadMore }: { rows: AuditEntry[]; hasMore: boolean; loadMore: () => void }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => String(row.logId) });
  const shown = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this grid itself
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (hasMore && lastShown >= shown.length - 40) loadMore();
  }, [hasMore, lastShown, shown.length, loadMore]);

  return (
    <div
      ref={scroller}
      className="audit-grid"
      role="grid"
      aria-label="Audit trail"
      aria-rowcount={hasMore ? -1 : shown.length + 1}
      tabIndex={0}
    >
      <div role="rowgroup" className="audit-grid-head">
        {table.getHeaderGroups().map((group) => (
          <div role="row" key={group.id} className="audit-grid-row" aria-rowindex={1}>
            {group.headers.map((header) => (
              <div role="columnheader" key={header.id}>
                <FlexRender header={header} />
              </div>
            ))}
          </div>
        ))}
      </div>
      <div role="rowgroup" className="audit-grid-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = shown[item.index]!;
          return (
            <div
              role="row"
              key={row.id}
              aria-rowindex={item.index + 2}
              className="audit-grid-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {row.getAllCells().map((cell) => (
                <div role="gridcell" key={cell.id} title={cell.column.id === 'detail' ? String(cell.getValue()) : undefined}>
                  <FlexRender cell={cell} />
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
