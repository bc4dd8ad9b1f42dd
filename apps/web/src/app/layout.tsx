import type { Metadata } from "next";
import "./globals.css";

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
