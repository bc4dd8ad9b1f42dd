import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./src/lib/security-headers";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The web app talks only to the GraphQL API; of the workspace packages only the wire formats it
  // shares with the API are bundled (TypeScript source, compiled by Next).
  transpilePackages: ["@mammo/wire-formats"],
  typedRoutes: false,
  // Every response; pages also get a per-request CSP and, over https, HSTS (src/proxy.ts).
  headers: async () => [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }],
};

export default config;
