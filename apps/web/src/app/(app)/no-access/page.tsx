export default function NoAccessPage() {
  return (
    <section className="panel stack" style={{ maxWidth: 520 }}>
      <h1>No role yet</h1>
      <p className="muted">Your account has no role at any site. Ask an administrator of your site to add you.</p>
    </section>
  );
}
