import { apiUrl } from "@/lib/config";
import { sessionToken } from "@/lib/session-token";

// Weights upload (a .h5 of tens of MB, too large for a server action): the browser posts the form
// here, and it goes on, streamed, to the API's POST /pretrained-weights with the user's session.
// Only from this app's own pages: the Origin must be this host.
export async function POST(request: Request) {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host || new URL(origin).host !== host)
    return Response.json({ error: { code: "FORBIDDEN", message: "cross-origin upload refused" } }, { status: 403 });
  const site = new URL(request.url).searchParams.get("site") ?? "";
  const token = await sessionToken();
  let upstream: Response;
  try {
    upstream = await fetch(`${apiUrl()}/pretrained-weights?site=${encodeURIComponent(site)}`, {
      method: "POST",
      headers: {
        "content-type": request.headers.get("content-type") ?? "",
        ...(request.headers.get("content-length") ? { "content-length": request.headers.get("content-length")! } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: request.body,
      // A streamed request body (undici needs it said).
      duplex: "half",
      cache: "no-store",
    } as RequestInit);
  } catch (error) {
    // The upload did not reach the API whole (e.g. the connection dropped): say so, not a bare 500.
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    return Response.json(
      { error: { code: "UPSTREAM_FAILED", message: `the upload did not reach the API: ${cause}` } },
      { status: 502 },
    );
  }
  return new Response(upstream.body, {
    status: upstream.status,
    headers: {
      "content-type": upstream.headers.get("content-type") ?? "application/json",
      "cache-control": "no-store",
    },
  });
}
