"use client";

/** What a failed page shows: the problem in plain words and a way to try again (no stack traces). */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="panel stack" role="alert" style={{ maxWidth: 640 }}>
      <h1>This page could not be loaded</h1>
      <p>
        {error.message && !error.message.includes("Server Components render")
          ? error.message
          : "The server could not answer. Try again in a moment."}
      </p>
      {error.digest ? <p className="muted small">Reference {error.digest} (for the server log).</p> : null}
      <div className="row">
        <button type="button" className="primary" onClick={reset}>
          Try again
        </button>
      </div>
    </section>
  );
}
