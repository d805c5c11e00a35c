import { useState } from 'react';
import type { HealthSnapshot } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { useSaveMonitoringSettings } from './queries.js';

/** When a query counts as long, and when the disk counts as nearly full (the status light's thresholds). */
export function MonitoringSettingsForm({ settings }: { settings: HealthSnapshot['settings'] }) {
  const save = useSaveMonitoringSettings();
  const [minutes, setMinutes] = useState(String(settings.longQueryMinutes));
  const [percent, setPercent] = useState(String(settings.diskWarningPercent));
  return (
    <form
      className="settings-form"
      aria-labelledby="monitoring-settings-title"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ longQueryMinutes: Number(minutes), diskWarningPercent: Number(percent) });
      }}
    >
      <h3 id="monitoring-settings-title">Thresholds</h3>
      <label>
        A query is long after (minutes)
        <input type="number" min={1} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <label>
        Warn when the disk is this full (%)
        <input type="number" min={50} max={99} value={percent} onChange={(e) => setPercent(e.target.value)} />
      </label>
      <FormError error={save.error} />
      <Notice>{save.isSuccess ? 'Saved.' : ''}</Notice>
      <div>
        <button type="submit" disabled={save.isPending}>
          Save thresholds
        </button>
      </div>
    </form>
  );
}
