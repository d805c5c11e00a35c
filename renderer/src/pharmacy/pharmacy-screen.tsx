export function PharmacyScreen() {
  return (
    <section className="panel" aria-labelledby="pharmacy-title">
      <h1 id="pharmacy-title">Pharmacy</h1>
      <p className="empty">Dispensing against prescriptions and stock by lot arrive with the pharmacy work.</p>
    </section>
  );
}
