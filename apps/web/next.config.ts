import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The web app talks only to the GraphQL API; of the workspace packages only the wire formats it
  // shares with the API are bundled (TypeScript source, compiled by Next).
  transpilePackages: ["@mammo/wire-formats"],
  typedRoutes: false,
};

export default config;
