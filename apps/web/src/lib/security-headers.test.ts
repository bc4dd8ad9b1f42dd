import { describe, expect, it } from "vitest";
import { pageContentSecurityPolicy, strictTransportSecurity } from "./security-headers";

describe("the web app's security headers", () => {
  it("a page's CSP: no framing, scripts only by nonce, no eval outside development", () => {
    const csp = pageContentSecurityPolicy("abc123", false);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(pageContentSecurityPolicy("abc123", true)).toContain("'unsafe-eval'");
  });

  it("HSTS only when served over https (public URL or the reverse proxy's X-Forwarded-Proto)", () => {
    expect(strictTransportSecurity("http://localhost:3000", null)).toBeNull();
    expect(strictTransportSecurity("https://mammo.hospital.example", null)).toMatch(/^max-age=31536000/);
    expect(strictTransportSecurity("http://localhost:3000", "https")).toMatch(/^max-age=/);
    expect(strictTransportSecurity(undefined, "http")).toBeNull();
  });
});
