import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { BedBoard, DoseToGive, ScanCheck } from '../../../contract/index.js';
import { parseScannedCode } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { playCue } from './alert-sound.js';
import { MarTable } from './mar-table.js';
import { useAdministerDose, useCheckAdministration, wardQueries } from './queries.js';
import { ConfirmDose, StopBanner, type Confirmation, type Stop } from './scan-panels.js';
import { useWard } from './ward-store.js';
import { useWedgeScanner } from './wedge-scanner.js';
import { mutateThen } from '../client/channel-query.js';

type Ready = Extract<ScanCheck, { outcome: 'ready' }> & { medicineScan: string };

/**
 * The medication round: choose a patient (↑ ↓, or scan their band), scan the wristband, then the
 * medicine. The server checks both scans (right patient, medicine, time, not given, allergy,
 * witness) before anything is saved; a stop is a big red message with its own sound.
 */
export function MedicationRound({ board }: { board: BedBoard | null }) {
  const departmentId = useWard((s) => s.departmentId);
  const canRecord = useCan('medical_records.write');
  const mar = useQuery(wardQueries.mar(departmentId));
  const [patientId, setPatientId] = useState<number | null>(null);
  const [band, setBand] = useState<string | null>(null);
  const [stop, setStop] = useState<Stop | null>(null);
  const [ready, setReady] = useState<Ready | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // Whose band is scanned now: an answer about another patient or band (asked before a change) is dropped.
  const scanned = useRef({ patientId, band });
  useEffect(() => {
    scanned.current = { patientId, band };
  }, [patientId, band]);
  const stillFor = (asked: { patientId: number; band: string }) =>
    scanned.current.patientId === asked.patientId && scanned.current.band === asked.band;
  const check = useCheckAdministration();
  const administer = useAdministerDose();
  const patients = mar.data?.patients ?? [];
  const patient = patients.find((p) => p.patientId === patientId) ?? null;

  const stopWith = (s: Stop) => {
    setStop(s);
    setReady(null);
    setDone(null);
    playCue('stop');
  };
  const choose = (id: number) => {
    setPatientId(id);
    setBand(null);
    setStop(null);
    setReady(null);
    setDone(null);
  };

  function onScan(code: string) {
    if (!canRecord) return;
    const scanned = parseScannedCode(code);
    setDone(null);
    if (scanned.kind === 'unknown')
      return stopWith({ stop: 'unreadable-scan', message: `"${scanned.text}" is not a wristband or a medicine label.` });
    if (scanned.kind === 'wristband') {
      const banded = patients.find((p) => p.patientId === scanned.patientId);
      if (patient && scanned.patientId !== patient.patientId)
        return stopWith({
          stop: 'wrong-patient',
          message: `This band is ${banded ? banded.name : `patient #${scanned.patientId}`}; the record open is ${patient.name}. Check the patient in front of you.`,
        });
      if (!banded) return stopWith({ stop: 'wrong-patient', message: `Patient #${scanned.patientId} is not on this ward's round.` });
      if (!patient) setPatientId(banded.patientId);
      setBand(code);
      setStop(null);
      setReady(null);
      return;
    }
    if (!patient) return stopWith({ stop: 'no-patient', message: 'Scan the patient’s wristband first.' });
    if (!band) return stopWith({ stop: 'no-band', message: `Scan ${patient.name}’s wristband, then the medicine.` });
    const input = { patientId: patient.patientId, wristbandScan: band, medicineScan: code };
    mutateThen(check, input, {
      onSuccess: (answer) => {
        if (!stillFor({ patientId: input.patientId, band: input.wristbandScan })) return;
        if (answer.outcome === 'stopped') return stopWith({ stop: answer.stop, message: answer.message });
        setStop(null);
        setReady({ ...answer, medicineScan: code });
      },
    });
  }
  useWedgeScanner(onScan, canRecord);

  function confirm(dose: DoseToGive, confirmation: Confirmation) {
    if (!patient || !band || !ready) return;
    mutateThen(
      administer,
      {
        patientId: patient.patientId,
        wristbandScan: band,
        medicineScan: ready.medicineScan,
        dose: { prescriptionId: dose.prescriptionId, scheduledFor: dose.scheduledFor },
        ...confirmation,
      },
      {
        onSuccess: (answer) => {
          if (answer.outcome === 'stopped') return stopWith({ stop: answer.stop, message: answer.message });
          setReady(null);
          setDone(`Recorded: ${answer.dose.medicineName} ${answer.dose.dose} given to ${patient.name}.`);
          playCue('ok');
        },
      },
    );
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && stop) setStop(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stop]);

  if (mar.isError) return <FormError error={mar.error} />;
  if (!mar.data) return <p className="muted">Reading the medication record…</p>;
  return (
    <div className={`round${stop ? ' round-stopped' : ''}`}>
      <ol className="scan-steps" aria-label="Scan steps">
        <li className={patient ? 'step-done' : 'step-now'}>1. Choose the patient (↑ ↓ below, or scan the band)</li>
        <li className={band ? 'step-done' : patient ? 'step-now' : undefined}>
          2. Scan the wristband{band && patient ? ` — ${patient.name} ✔` : ''}
        </li>
        <li className={band ? 'step-now' : undefined}>3. Scan the medicine (label or pack)</li>
      </ol>
      {stop && <StopBanner stop={stop} onDismiss={() => setStop(null)} />}
      <FormError error={check.error ?? (ready ? null : administer.error)} />
      <Notice className="scan-done">{done}</Notice>
      {ready && (
        <ConfirmDose
          dose={ready.dose}
          needsReason={ready.needsReason}
          needsWitness={ready.needsWitness}
          warnings={ready.warnings}
          error={administer.error}
          pending={administer.isPending}
          onConfirm={(c) => confirm(ready.dose, c)}
          onCancel={() => setReady(null)}
        />
      )}
      <div className="round-layout">
        <RoundPatients patients={patients} board={board} current={patientId} onChoose={choose} />
        <div>
          {patient ? (
            <>
              <h2>
                {patient.name}
                {patient.roomNumber ? ` · bed ${patient.roomNumber}/${patient.bedNumber}` : ''}
              </h2>
              {patient.allergies.length > 0 && <p className="allergy-box has-allergy">⚠ Allergies: {patient.allergies.join('; ')}</p>}
              <MarTable mar={mar.data} patient={patient} canRecord={canRecord} />
            </>
          ) : (
            <p className="muted">Choose a patient on the left, or scan a wristband.</p>
          )}
        </div>
      </div>
    </div>
  );
}

function RoundPatients({
  patients,
  board,
  current,
  onChoose,
}: {
  patients: {
    patientId: number;
    name: string;
    roomNumber: string | null;
    bedNumber: number | null;
    orders: { doses: { state: string }[] }[];
  }[];
  board: BedBoard | null;
  current: number | null;
  onChoose(id: number): void;
}) {
  const index = Math.max(
    0,
    patients.findIndex((p) => p.patientId === current),
  );
  const news = (id: number) => board?.beds.find((b) => b.patient?.patientId === id)?.patient?.latestNews2 ?? null;
  if (patients.length === 0) return <p className="muted">No patient on this ward has a verified medicine.</p>;
  return (
    <ul
      className="round-patients"
      role="listbox"
      aria-label="Patients on the round"
      tabIndex={0}
      aria-activedescendant={patients[index] ? `round-${patients[index].patientId}` : undefined}
      onKeyDown={(e) => {
        const next = e.key === 'ArrowDown' ? patients[index + 1] : e.key === 'ArrowUp' ? patients[index - 1] : undefined;
        if (next) {
          e.preventDefault();
          onChoose(next.patientId);
        }
      }}
    >
      {patients.map((p) => {
        const due = p.orders.flatMap((o) => o.doses).filter((d) => d.state === 'due' || d.state === 'late').length;
        const score = news(p.patientId);
        return (
          <li
            key={p.patientId}
            id={`round-${p.patientId}`}
            role="option"
            aria-selected={p.patientId === current}
            className={p.patientId === current ? 'active' : undefined}
            onClick={() => onChoose(p.patientId)}
          >
            <strong>{p.name}</strong>
            <span className="muted">
              {p.roomNumber ? ` ${p.roomNumber}/${p.bedNumber}` : ''}
              {score ? ` · NEWS2 ${score.score}` : ''}
            </span>
            {due > 0 && <span className="due-badge">{due} due</span>}
          </li>
        );
      })}
    </ul>
  );
}
