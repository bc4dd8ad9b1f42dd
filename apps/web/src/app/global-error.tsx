"use client";

import { PublicFrame } from "@/components/shell/public-frame";
import "./globals.css";

/** When even the root layout fails: the app's dark look, the problem in plain words, a way on. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <PublicFrame hasPlainLinks>
          <section className="panel stack" role="alert" style={{ maxWidth: 640 }}>
            <h1>Something went wrong</h1>
            <p>The server could not answer. Try again in a moment.</p>
            <div className="row">
              <button type="button" className="primary" onClick={reset}>
                Try again
              </button>
            </div>
          </section>
        </PublicFrame>
      </body>
    </html>
  );
}
