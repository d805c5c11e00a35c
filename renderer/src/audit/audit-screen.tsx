import { useCallback, useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, type AuditFilter, type ChainReport } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { AuditGrid } from './audit-grid.js';
import { useAuditEntries, useExportCsv, useVerifyChain } from './queries.js';
import './audit.css';
import { mutateThen } from '../client/channel-query.js';

interface FilterFields {
  patientId: string;
  userId: string;
  tableName: string;
  action: string;
  from: string;
  to: string;
}
const EMPTY: FilterFields = { patientId: '', userId: '', tableName: '', action: '', from: '', to: '' };

/** The typed fields as the channel's filter: blanks left out; main checks every value again. */
function toFilter(fields: FilterFields): AuditFilter {
  const filter: AuditFilter = {};
  if (fields.patientId.trim()) filter.patientId = Number(fields.patientId.trim());
  if (fields.userId.trim()) filter.userId = fields.userId.trim();
  if (fields.tableName.trim()) filter.tableName = fields.tableName.trim();
  if (fields.action) filter.action = fields.action as AuditFilter['action'];
  if (fields.from) filter.from = fields.from;
  if (fields.to) filter.to = fields.to;
  return filter;
}

function download(csv: string) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  link.download = `audit-${new Date().toISOString().slice(0, 10)}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
}

function ChainCheck() {
  const verify = useVerifyChain();
  const report: ChainReport | undefined = verify.data;
  return (
    <section className="chain-report" aria-labelledby="chain-title">
      <h2 id="chain-title">Tamper check</h2>
      <p className="muted">Walks the hash chain over every audit row and names the first broken link.</p>
      <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? 'Checking…' : 'Check the audit chain'}
      </button>
      <FormError error={verify.error} />
      {report &&
        (report.intact ? (
          <Notice>
            Intact: {report.checkedRows.toLocaleString('en-GB')} rows as they were written. Head hash <code>{report.headHash}</code>
          </Notice>
        ) : (
          <div role="alert" className="chain-broken">
            <p>First broken link: {report.breaks[0]?.reason}</p>
            {report.breaks.length > 1 && (
              <ul>
                {report.breaks.slice(1).map((b, index) => (
                  <li key={index}>{b.reason}</li>
                ))}
              </ul>
            )}
          </div>
        ))}
    </section>
  );
}

/** Admin → Audit (audit.read): filter, page through, export, and check the chain. */
export function AuditScreen() {
  const [fields, setFields] = useState<FilterFields>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  const entries = useAuditEntries(filter);
  const exporter = useExportCsv();
  const rows = entries.data?.pages.flatMap((page) => page.rows) ?? [];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = entries;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const field = (name: keyof FilterFields) => ({
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields({ ...fields, [name]: event.target.value }),
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(toFilter(fields));
  };
  const whoOpened = () => {
    const next = { ...fields, action: 'CHART_OPEN' };
    setFields(next);
    setFilter(toFilter(next));
  };

  return (
    <div>
      <form className="audit-filters" onSubmit={apply} aria-label="Audit filters">
        <label>
          Patient number
          <input inputMode="numeric" pattern="[0-9]*" {...field('patientId')} />
        </label>
        <label>
          User id
          <input {...field('userId')} placeholder="uuid" />
        </label>
        <label>
          Table
          <input {...field('tableName')} placeholder="patients" />
        </label>
        <label>
          Action
          <select {...field('action')}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" {...field('from')} />
        </label>
        <label>
          To
          <input type="date" {...field('to')} />
        </label>
        <button type="submit">Show</button>
        <button type="button" onClick={whoOpened} disabled={!fields.patientId.trim()}>
          Who opened this chart
        </button>
        <button
          type="button"
          onClick={() => mutateThen(exporter, filter, { onSuccess: (r) => download(r.csv) })}
          disabled={exporter.isPending}
        >
          Export CSV
        </button>
      </form>
      <FormError error={entries.error ?? exporter.error} />
      {exporter.data && (
        <Notice>
          Exported {exporter.data.rowCount.toLocaleString('en-GB')} rows
          {exporter.data.truncated ? ' (the newest 50,000: narrow the filter for the rest)' : ''}.
        </Notice>
      )}
      <p className="muted" role="status">
        {entries.isPending
          ? 'Reading…'
          : `${rows.length.toLocaleString('en-GB')} ${rows.length === 1 ? 'row' : 'rows'} shown${hasNextPage ? ', more below' : ''}`}
      </p>
      <AuditGrid rows={rows} hasMore={hasNextPage} loadMore={loadMore} />
      <ChainCheck />
    </div>
  );
}
