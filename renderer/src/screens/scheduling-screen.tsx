export function SchedulingScreen() {
  return (
    <section className="panel" aria-labelledby="scheduling-title">
      <h1 id="scheduling-title">Scheduling</h1>
      <p className="empty">The appointment book (day and week views, booking, check-in) arrives with the front-desk work.</p>
    </section>
  );
}
