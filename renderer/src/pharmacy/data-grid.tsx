import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  FlexRender,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type Row,
  type RowData,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

/** Sorting and a filter over every column, both on screen: the grid holds what was read, up to 100,000 rows. */
export const gridFeatures = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: { basic: sortFn_basic, text: sortFn_text },
  filterFns: { includesString: filterFn_includesString },
});

export interface GridColumn<T> {
  id: string;
  header: string;
  /** What the column sorts, filters and exports by. */
  value(row: T): string | number;
  /** How a cell shows (default: the value). */
  cell?(row: T): ReactNode;
  /** A CSS grid track: '8rem', 'minmax(10rem, 2fr)'. */
  width: string;
  numeric?: boolean;
}

const ROW_HEIGHT = 32;
/** The sticky header row's height (pharmacy.css): the body starts below it and it covers the top row. */
const HEAD_HEIGHT = 34;
const PAGE = 15;

/**
 * A sortable, filterable grid whose rows are drawn only where the eye is (virtual rows), for lists of
 * up to 100,000 movements. The grid is one tab stop: ↑ ↓ PageUp PageDown Home End move the active row
 * (aria-activedescendant), Enter acts on it; a column header's button sorts.
 */
export function DataGrid<T extends RowData>({
  label,
  rows,
  columns,
  rowKey,
  onActivate,
  filter = '',
  initialSort,
  sortable = true,
  height = 420,
  rowClass,
  empty = 'Nothing to show.',
}: {
  label: string;
  rows: T[];
  columns: GridColumn<T>[];
  rowKey(row: T): string;
  onActivate?(row: T): void;
  filter?: string;
  initialSort?: { id: string; desc: boolean };
  sortable?: boolean;
  height?: number;
  rowClass?(row: T): string | undefined;
  empty?: string;
}) {
  const helper = useMemo(() => createColumnHelper<typeof gridFeatures, T>(), []);
  const columnDefs = useMemo(
    () =>
      helper.columns(
        columns.map((c) =>
          helper.accessor((row: T) => c.value(row), {
            id: c.id,
            header: c.header,
            cell: (info) => (c.cell ? c.cell(info.row.original) : info.getValue()),
            sortFn: c.numeric ? 'basic' : 'text',
            enableSorting: sortable,
          }),
        ),
      ),
    [helper, columns, sortable],
  );
  const table = useTable({
    features: gridFeatures,
    columns: columnDefs,
    data: rows,
    getRowId: (row) => rowKey(row),
    globalFilterFn: 'includesString',
    state: { globalFilter: filter },
    initialState: { sorting: initialSort ? [initialSort] : [] },
  });
  const shown = table.getRowModel().rows;
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(shown.length - 1, 0));
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this grid itself; nothing here is memoized by a compiler
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  const id = useId();
  const numeric = useMemo(() => new Set(columns.filter((c) => c.numeric).map((c) => c.id)), [columns]);
  const tracks = { '--grid-columns': columns.map((c) => c.width).join(' ') } as CSSProperties;

  // The active row is always drawn, so aria-activedescendant names an element on the page.
  useEffect(() => {
    if (shown.length > 0) virtualizer.scrollToIndex(current, { align: 'auto' });
  }, [current, shown.length, virtualizer]);

  // Rows are memoized (only rows scrolled into view render): they get one stable callback that calls the latest onActivate.
  const latestActivate = useRef(onActivate);
  useEffect(() => {
    latestActivate.current = onActivate;
  });
  const open = useCallback((row: T) => latestActivate.current?.(row), []);

  const onKeyDown = (event: KeyboardEvent) => {
    const last = shown.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + PAGE,
      PageUp: current - PAGE,
      Home: 0,
      End: last,
    };
    if (event.key in moves) setActive(Math.max(0, Math.min(last, moves[event.key]!)));
    else if (event.key === 'Enter' && onActivate && shown[current]) onActivate(shown[current].original);
    else return;
    event.preventDefault();
  };

  const activeRow = shown[current];
  return (
    <div className="data-grid" style={tracks}>
      <div
        ref={scroller}
        className="data-grid-scroller"
        style={{ height }}
        role="grid"
        aria-label={label}
        aria-rowcount={shown.length + 1}
        aria-colcount={columns.length}
        aria-activedescendant={activeRow ? `${id}-${activeRow.id}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="data-grid-head">
          {table.getHeaderGroups().map((group) => (
            <div role="row" key={group.id} className="data-grid-row" aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <div
                    role="columnheader"
                    key={header.id}
                    className={numeric.has(header.column.id) ? 'numeric' : undefined}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        <FlexRender header={header} />
                        <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    ) : (
                      <FlexRender header={header} />
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        <div role="rowgroup" className="data-grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = shown[item.index]!;
            return (
              <GridRow
                key={row.id}
                row={row}
                domId={`${id}-${row.id}`}
                index={item.index}
                top={item.start - HEAD_HEIGHT}
                active={item.index === current}
                extraClass={rowClass?.(row.original)}
                numeric={numeric}
                onPick={setActive}
                onOpen={open}
              />
            );
          })}
        </div>
      </div>
      {shown.length === 0 && <p className="empty data-grid-empty">{empty}</p>}
      <p className="muted data-grid-count" aria-live="polite">
        {shown.length.toLocaleString('en-GB')} of {rows.length.toLocaleString('en-GB')} rows
      </p>
    </div>
  );
}

interface GridRowProps<T extends RowData> {
  row: Row<typeof gridFeatures, T>;
  domId: string;
  index: number;
  top: number;
  active: boolean;
  extraClass: string | undefined;
  numeric: Set<string>;
  onPick(index: number): void;
  onOpen(row: T): void;
}

/** One drawn row; while scrolling only rows coming into view render, the others keep their place. */
const GridRow = memo(function GridRow<T extends RowData>({
  row,
  domId,
  index,
  top,
  active,
  extraClass,
  numeric,
  onPick,
  onOpen,
}: GridRowProps<T>) {
  return (
    <div
      role="row"
      id={domId}
      aria-rowindex={index + 2}
      aria-selected={active}
      className={`data-grid-row${active ? ' active' : ''}${extraClass ? ` ${extraClass}` : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onPick(index)}
      onDoubleClick={() => onOpen(row.original)}
    >
      {row.getAllCells().map((cell) => (
        <div role="gridcell" key={cell.id} className={numeric.has(cell.column.id) ? 'numeric' : undefined}>
          <FlexRender cell={cell} />
        </div>
      ))}
    </div>
  );
}) as <T extends RowData>(props: GridRowProps<T>) => ReactNode;
