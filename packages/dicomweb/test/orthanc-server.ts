// A real PACS for the tests: Debian's Orthanc with its DICOMweb plugin, started on a free port
// with its own configuration and storage folder, stopped and removed afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "@mammo/db/testing";

export const ORTHANC_BINARY = process.env.ORTHANC_BINARY ?? "/usr/sbin/Orthanc";
export const DICOMWEB_PLUGIN =
  process.env.ORTHANC_DICOMWEB_PLUGIN ?? "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

/**
 * Why Orthanc cannot run here, or null when it can. CI must have it (.ci/run installs it), so
 * there a missing Orthanc is an error, never a skip.
 */
export function orthancMissing(): string | null {
  const missing = [ORTHANC_BINARY, DICOMWEB_PLUGIN].filter((f) => !existsSync(f));
  if (missing.length === 0) return null;
  const reason = `Orthanc is not installed (${missing.join(", ")} missing): apt-get install orthanc orthanc-dicomweb`;
  if (process.env.CI) throw new Error(`${reason}; CI must run the PACS tests`);
  console.warn(`skipping the PACS tests: ${reason}`);
  return reason;
}

export type OrthancServer = {
  /** http://127.0.0.1:<port> (Orthanc's own REST API). */
  url: string;
  /** The DICOMweb root. */
  dicomwebUrl: string;
  /** Stores a Part 10 file through Orthanc's REST API; returns Orthanc's instance id. */
  upload(bytes: Uint8Array): Promise<string>;
  /** Orthanc's REST API, authenticated as the first registered user when there is one. */
  rest(pathname: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
};

export async function startOrthanc(options: { users?: Record<string, string> } = {}): Promise<OrthancServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-orthanc-"));
  const port = await findFreePort();
  const users = options.users ?? {};
  const config = {
    Name: "MAMMO-TEST-PACS",
    StorageDirectory: path.join(dir, "storage"),
    IndexDirectory: path.join(dir, "storage"),
    HttpPort: port,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: Object.keys(users).length > 0,
    RegisteredUsers: users,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: "/dicom-web/" },
    StableAge: 1,
  };
  await writeFile(path.join(dir, "orthanc.json"), JSON.stringify(config));
  const child: ChildProcess = spawn(ORTHANC_BINARY, [path.join(dir, "orthanc.json")], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const url = `http://127.0.0.1:${port}`;
  const [user, password] = Object.entries(users)[0] ?? [];
  const rest = (pathname: string, init: RequestInit = {}) =>
    fetch(`${url}${pathname}`, {
      ...init,
      headers: {
        ...(user ? { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  // Wait for the state "answers /system", or for the process to die.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited (${child.exitCode}) at start: ${stderr}`);
    const ready = await rest("/system").then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    dicomwebUrl: `${url}/dicom-web`,
    rest,
    async upload(bytes) {
      const response = await rest("/instances", {
        method: "POST",
        body: bytes as Uint8Array<ArrayBuffer>,
        headers: { "Content-Type": "application/dicom" },
      });
      if (!response.ok)
        throw new Error(`Orthanc refused an instance: HTTP ${response.status} ${await response.text()}`);
      return ((await response.json()) as { ID: string }).ID;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
