// The stock/ledger grid in Chromium with 100,000 ledger rows: mount, sort and scroll-frame times of the
// Pharmacy screen's own DataGrid (TanStack Table + Virtual), beside a plain non-virtual table of 1,000 rows
// measured in the same run and the same page. Prints numbers; asserts nothing.
//   npm run bench:pharmacy-grid [-- --rows 100000 --baseline-rows 1000 --runs 5 --frames 240 --step 160]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../tests/e2e/support/workstation.js';
import { percentile, ROOT } from './support.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    'baseline-rows': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    frames: { type: 'string', default: '240' },
    /** Pixels scrolled per frame: 160 px is five rows a frame (300 rows a second), a fast wheel or held arrow key. */
    step: { type: 'string', default: '160' },
  },
});
const ROWS = Number(values.rows);
const BASELINE_ROWS = Number(values['baseline-rows']);
const RUNS = Number(values.runs);
const FRAMES = Number(values.frames);
const STEP = Number(values.step);

// The page side: the real grid and ledger columns, a plain table as the baseline, and the three measurements.
const ENTRY = `
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { DataGrid } from './renderer/src/pharmacy/data-grid.tsx';
import { LEDGER_COLUMNS } from './renderer/src/pharmacy/ledger-columns.tsx';

const TYPES = ['Dispense', 'Receive', 'Return', 'Adjust', 'Dispose'];
const MEDICINES = ['Amoxicillin', 'Paracetamol', 'Ibuprofen', 'Morphine', 'Warfarin', 'Aspirin', 'Codeine', 'Metformin'];
function ledgerRows(n) {
  const rows = new Array(n);
  const start = Date.parse('2025-01-01T08:00:00Z');
  for (let i = 0; i < n; i += 1) {
    const type = TYPES[(i * 7) % 5];
    rows[i] = {
      transactionId: i + 1, at: new Date(start + ((i * 7919) % n) * 60000).toISOString(), type,
      medicineId: (i % 387) + 1, medicineName: MEDICINES[(i * 13) % 8] + ' ' + ((i * 31) % 387), strength: '500 mg', form: 'tablet',
      lotId: (i % 868) + 1, lotNumber: 'L' + ((i * 17) % 868) + '-1', quantity: type === 'Dispense' || type === 'Dispose' ? -((i % 28) + 1) : (i % 250) + 1,
      prescriptionId: type === 'Dispense' ? i + 1 : null, patientId: type === 'Dispense' ? (i % 100000) + 1 : null,
      patientName: type === 'Dispense' ? 'Patient ' + ((i * 37) % 100000) : null, performedById: null,
      performedBy: i % 3 ? 'Priya Pharmacist' : 'Sam Stock', witnessedBy: null, notes: i % 11 ? null : 'count correction',
    };
  }
  return rows;
}
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

function PlainTable({ rows }) {
  const [desc, setDesc] = useState(false);
  const shown = desc ? [...rows].sort((a, b) => b.quantity - a.quantity) : rows;
  return h('table', { className: 'data-table', 'aria-label': 'plain' },
    h('thead', null, h('tr', null, LEDGER_COLUMNS.map((c) => h('th', { key: c.id }, c.id === 'quantity' ? h('button', { id: 'plain-sort', onClick: () => setDesc(true) }, c.header) : c.header)))),
    h('tbody', null, shown.map((r) => h('tr', { key: r.transactionId }, LEDGER_COLUMNS.map((c) => h('td', { key: c.id }, String(c.value(r))))))));
}

let root;
const container = document.getElementById('root');
window.bench = {
  async mount(kind, n) {
    root?.unmount();
    container.replaceChildren();
    const rows = ledgerRows(n);
    await frame();
    const t0 = performance.now();
    root = createRoot(container);
    flushSync(() => root.render(kind === 'grid'
      ? h(DataGrid, { label: 'Ledger', rows, columns: LEDGER_COLUMNS, rowKey: (e) => String(e.transactionId), height: 600 })
      : h('div', { className: 'plain-scroller', style: { height: '600px', overflow: 'auto' } }, h(PlainTable, { rows }))));
    await frame();
    return performance.now() - t0;
  },
  async sort(kind) {
    const button = kind === 'grid' ? [...document.querySelectorAll('.sort-button')].find((b) => b.textContent.startsWith('Qty')) : document.getElementById('plain-sort');
    const t0 = performance.now();
    flushSync(() => button.click());
    await frame();
    return performance.now() - t0;
  },
  async scroll(kind, frames, step) {
    const scroller = document.querySelector(kind === 'grid' ? '.data-grid-scroller' : '.plain-scroller');
    scroller.scrollTop = 0;
    await frame();
    const gaps = [];
    let last = 0;
    await new Promise((done) => {
      let n = 0;
      const tick = (now) => {
        if (last) gaps.push(now - last);
        last = now;
        scroller.scrollTop += step;
        if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight) scroller.scrollTop = 0;
        if (++n < frames) requestAnimationFrame(tick); else done();
      };
      requestAnimationFrame(tick);
    });
    return gaps;
  },
};
`;

const bundle = await build({
  stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'tsx', sourcefile: 'grid-bench-entry.tsx' },
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  jsx: 'automatic',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.css': 'empty' },
});
const css = (
  await Promise.all(['renderer/src/styles.css', 'renderer/src/pharmacy/pharmacy.css'].map((f) => readFile(path.join(ROOT, f), 'utf8')))
).join('\n');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
  headless: true,
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.setContent(
    `<!doctype html><html><head><style>${css}</style></head><body><div id="root" class="pharmacy"></div></body></html>`,
  );
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });

  type Kind = 'grid' | 'plain';
  const call = <T>(fn: string, ...args: unknown[]) =>
    page.evaluate(
      ([f, a]) =>
        (window as unknown as { bench: Record<string, (...x: unknown[]) => Promise<T>> }).bench[f as string]!(...(a as unknown[])),
      [fn, args] as const,
    );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  async function run(kind: Kind, rows: number) {
    const mounts: number[] = [];
    const sorts: number[] = [];
    let frames: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      mounts.push(await call<number>('mount', kind, rows));
      sorts.push(await call<number>('sort', kind));
      if (i === RUNS - 1) frames = (await call<number[]>('scroll', kind, FRAMES, STEP)).sort((a, b) => a - b);
    }
    return { mount: median(mounts), sort: median(sorts), p50: percentile(frames, 50), p95: percentile(frames, 95), max: frames.at(-1)! };
  }
  const baseline = await run('plain', BASELINE_ROWS);
  const grid = await run('grid', ROWS);

  console.log(
    `\npharmacy grid in Chromium: ${ROWS.toLocaleString('en')} ledger rows (median of ${RUNS} mounts and sorts; ${FRAMES} scroll frames at ${STEP} px a frame)`,
  );
  console.log(
    `${'measure'.padEnd(26)} ${'grid'.padStart(10)} ${`plain ${BASELINE_ROWS.toLocaleString('en')}`.padStart(12)} ${'×base'.padStart(7)}`,
  );
  const line = (label: string, g: number, b: number) =>
    console.log(`${label.padEnd(26)} ${g.toFixed(1).padStart(10)} ${b.toFixed(1).padStart(12)} ${(g / b).toFixed(2).padStart(7)}`);
  line('mount ms', grid.mount, baseline.mount);
  line('sort ms (Qty, descending)', grid.sort, baseline.sort);
  line('scroll frame p50 ms', grid.p50, baseline.p50);
  line('scroll frame p95 ms', grid.p95, baseline.p95);
  line('scroll frame max ms', grid.max, baseline.max);
  console.log('\nagainst the issue’s targets');
  for (const [label, value, target] of [
    ['mount', grid.mount, 300],
    ['sort', grid.sort, 200],
    ['scroll frame p95', grid.p95, 17.5],
  ] as const)
    console.log(`  ${label.padEnd(20)} ${value.toFixed(1).padStart(7)} ms  target ≤ ${target} ms  ${value <= target ? 'met' : 'MISSED'}`);
} finally {
  await browser.close();
}
