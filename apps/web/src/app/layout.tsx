import type { Metadata } from "next";
import "./globals.css";

// Every page is rendered per request: its scripts carry that request's CSP nonce (src/proxy.ts);
// a page prerendered at build time would have scripts without one, which the CSP blocks.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Mammo Research Platform",
  description: "Cases, pathology truth, models and reader studies for mammography AI research",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
