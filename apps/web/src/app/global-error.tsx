"use client";

import "./globals.css";

/** When even the root layout fails: the app's dark look, the problem in plain words, a way on. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a href="/" className="brand">
            Mammo Research
          </a>
          <nav aria-label="Main">
            <a href="/">Home</a>
            <a href="/sign-in">Sign in</a>
          </nav>
        </header>
        <main>
          <section className="panel stack" role="alert" style={{ maxWidth: 640 }}>
            <h1>Something went wrong</h1>
            <p>The server could not answer. Try again in a moment.</p>
            <div className="row">
              <button type="button" className="primary" onClick={reset}>
                Try again
              </button>
            </div>
          </section>
        </main>
      </body>
    </html>
  );
}
