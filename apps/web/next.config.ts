import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The web app talks only to the GraphQL API; nothing of the server packages is bundled here.
  typedRoutes: false,
};

export default config;
