import { apiUrl } from "@/lib/config";
import { sessionToken } from "@/lib/session-token";

// Binary resources of the API (images, heatmaps), fetched with the user's own session, so the
// browser can use them in <img> and canvas without ever holding an API credential.
const ALLOWED = [
  /^(images|saliency-maps)\/[0-9a-f-]{36}\/[a-z0-9-]+\.(png|json|bin)$/,
  // An object on a site's PACS (a heatmap sent there), rendered by the API.
  /^pacs\/[0-9a-f-]{36}\/studies\/[0-9.]{1,64}\/series\/[0-9.]{1,64}\/instances\/[0-9.]{1,64}\/rendered\.png$/,
];

export async function GET(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params;
  const joined = path.join("/");
  if (!ALLOWED.some((pattern) => pattern.test(joined))) return new Response("not found", { status: 404 });
  const token = await sessionToken();
  const search = new URL(request.url).search;
  const upstream = await fetch(`${apiUrl()}/${joined}${search}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    cache: "no-store",
  });
  return new Response(upstream.body, {
    status: upstream.status,
    headers: {
      "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
      // The API decides (reading material and heatmaps: no-store); nothing it did not allow.
      "cache-control": (upstream.ok && upstream.headers.get("cache-control")) || "private, no-store",
    },
  });
}
