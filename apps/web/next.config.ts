import type { NextConfig } from "next";
import { NON_PAGE_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "./src/lib/security-headers";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The web app talks only to the GraphQL API; of the workspace packages only the wire formats it
  // shares with the API are bundled (TypeScript source, compiled by Next).
  transpilePackages: ["@mammo/wire-formats"],
  typedRoutes: false,
  // Every response; pages also get a per-request CSP and, over https, HSTS (src/proxy.ts).
  // Browsers ask for /favicon.ico where a response is not a page (e.g. a report's CSV download).
  rewrites: async () => [{ source: "/favicon.ico", destination: "/icon.svg" }],
  headers: async () => [
    { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
    // The one route src/proxy.ts does not see (a streamed upload): its closed CSP from here.
    {
      source: "/api/pretrained-weights",
      headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY }],
    },
  ],
};

export default config;
