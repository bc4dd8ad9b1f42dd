import Link from "next/link";
import { PublicFrame } from "@/components/shell/public-frame";

/** Any unknown address (outside the signed-in pages too): the app's look and a way back. */
export default function NotFound() {
  return (
    <PublicFrame>
      <section className="panel stack" style={{ maxWidth: 640 }}>
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address, or it is not visible to you.</p>
        <p>
          <Link href="/">Back to the start</Link>
        </p>
      </section>
    </PublicFrame>
  );
}
