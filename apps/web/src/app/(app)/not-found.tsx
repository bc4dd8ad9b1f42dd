import Link from "next/link";

/** A case, study or page that does not exist or is not visible to the signed-in user (inside the app's frame). */
export default function AppNotFound() {
  return (
    <section className="panel stack" style={{ maxWidth: 640 }}>
      <h1>Not found</h1>
      <p className="muted">It does not exist, or your roles do not let you see it.</p>
      <p>
        <Link href="/">Back to the start</Link>
      </p>
    </section>
  );
}
