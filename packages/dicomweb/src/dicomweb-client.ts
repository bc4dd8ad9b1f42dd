import { DicomwebError, isDicomwebError } from "./dicomweb-error.ts";
import { numberOf, stringOf, stringsOf, TAGS, type DicomJson } from "./dicom-json.ts";
import { buildMultipart, parseMultipart } from "./multipart.ts";

export type DicomwebAuth =
  { kind: "NONE" } | { kind: "BASIC"; username: string; password: string } | { kind: "BEARER"; token: string };

export type DicomwebClientOptions = {
  /** The DICOMweb root, e.g. "https://pacs.example/dicom-web" (QIDO, WADO and STOW share it). */
  baseUrl: string;
  auth: DicomwebAuth;
  /** Per request (default 60 s): a PACS that hangs is reported, not waited on for ever. */
  timeoutMs?: number;
};

export type StudyQuery = {
  patientId?: string;
  accessionNumber?: string;
  /** Inclusive, YYYY-MM-DD. */
  studyDateFrom?: string;
  studyDateTo?: string;
  /** Default "MG". */
  modality?: string;
  limit?: number;
};

export type StudySummary = {
  studyInstanceUid: string;
  patientId: string;
  patientName: string;
  accessionNumber: string;
  /** YYYY-MM-DD, or null when the PACS has none. */
  studyDate: string | null;
  description: string;
  modalities: string[];
  instanceCount: number | null;
};

export type InstanceRef = {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
};

export type StoreResult = { storedSopInstanceUids: string[] };

export type DicomwebClient = {
  readonly baseUrl: string;
  searchStudies(query: StudyQuery): Promise<StudySummary[]>;
  searchInstances(studyInstanceUid: string): Promise<InstanceRef[]>;
  /** One instance as a DICOM Part 10 file, in the transfer syntax the PACS holds it in. */
  retrieveInstance(ref: Omit<InstanceRef, "sopClassUid">): Promise<Uint8Array>;
  /** STOW-RS of Part 10 files into one request; throws REJECTED naming any instance the PACS refused. */
  storeInstances(files: Uint8Array[]): Promise<StoreResult>;
};

const DA = /^(\d{4})-(\d{2})-(\d{2})$/;
const UID = /^[0-9]+(\.[0-9]+)*$/;

export function createDicomwebClient(options: DicomwebClientOptions): DicomwebClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const authHeader = authorizationOf(options.auth);

  async function request(
    path: string,
    init: { accept: string; method?: string; body?: Uint8Array; contentType?: string },
  ) {
    const url = `${baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method ?? "GET",
        headers: {
          Accept: init.accept,
          ...(authHeader ? { Authorization: authHeader } : {}),
          ...(init.contentType ? { "Content-Type": init.contentType } : {}),
        },
        body: init.body as Uint8Array<ArrayBuffer> | undefined,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      throw new DicomwebError("UNREACHABLE", `the PACS at ${baseUrl} cannot be reached (${causeOf(error)})`, {
        cause: error,
      });
    }
    if (response.status === 401 || response.status === 403) {
      throw new DicomwebError(
        "UNAUTHORIZED",
        `the PACS at ${baseUrl} refused the credentials (HTTP ${response.status}${options.auth.kind === "NONE" ? ": it asks for authentication" : ""})`,
        { status: response.status },
      );
    }
    if (response.status === 404)
      throw new DicomwebError("NOT_FOUND", `not found on the PACS: ${path}`, { status: 404 });
    return response;
  }

  async function json(path: string): Promise<DicomJson[]> {
    const response = await request(path, { accept: "application/dicom+json" });
    if (response.status === 204) return [];
    await refuseUnlessOk(response, path);
    const body = await response.text();
    if (body.trim() === "") return [];
    try {
      const parsed: unknown = JSON.parse(body);
      if (!Array.isArray(parsed)) throw new Error("not an array");
      return parsed as DicomJson[];
    } catch (error) {
      throw new DicomwebError("BAD_RESPONSE", `the PACS answered ${path} with something other than DICOM JSON`, {
        cause: error,
      });
    }
  }

  return {
    baseUrl,
    async searchStudies(query) {
      const params = new URLSearchParams();
      params.set("ModalitiesInStudy", query.modality ?? "MG");
      if (query.patientId) params.set("PatientID", query.patientId);
      if (query.accessionNumber) params.set("AccessionNumber", query.accessionNumber);
      const range = dateRange(query.studyDateFrom, query.studyDateTo);
      if (range) params.set("StudyDate", range);
      params.set("limit", String(query.limit ?? 100));
      for (const tag of ["00080061", "00081030", "00201208", "00100010"]) params.append("includefield", tag);
      const rows = await json(`/studies?${params}`);
      return rows.map((row) => ({
        studyInstanceUid: stringOf(row, TAGS.StudyInstanceUID),
        patientId: stringOf(row, TAGS.PatientID),
        patientName: stringOf(row, TAGS.PatientName),
        accessionNumber: stringOf(row, TAGS.AccessionNumber),
        studyDate: isoDate(stringOf(row, TAGS.StudyDate)),
        description: stringOf(row, TAGS.StudyDescription),
        modalities: stringsOf(row, TAGS.ModalitiesInStudy),
        instanceCount: numberOf(row, TAGS.NumberOfStudyRelatedInstances) ?? null,
      }));
    },
    async searchInstances(studyInstanceUid) {
      const rows = await json(`/studies/${uid(studyInstanceUid)}/instances?includefield=0020000E`);
      return rows
        .map((row) => ({
          studyInstanceUid,
          seriesInstanceUid: stringOf(row, TAGS.SeriesInstanceUID),
          sopInstanceUid: stringOf(row, TAGS.SOPInstanceUID),
          sopClassUid: stringOf(row, TAGS.SOPClassUID),
        }))
        .sort((a, b) => a.sopInstanceUid.localeCompare(b.sopInstanceUid));
    },
    async retrieveInstance(ref) {
      const path = `/studies/${uid(ref.studyInstanceUid)}/series/${uid(ref.seriesInstanceUid)}/instances/${uid(ref.sopInstanceUid)}`;
      const response = await request(path, {
        accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
      });
      await refuseUnlessOk(response, path);
      const contentType = response.headers.get("content-type") ?? "";
      const body = new Uint8Array(await response.arrayBuffer());
      if (!/^multipart\/related/i.test(contentType))
        throw new DicomwebError(
          "BAD_RESPONSE",
          `WADO-RS answered ${contentType || "no content type"}, not multipart/related`,
        );
      const parts = parseMultipart(body, contentType);
      if (parts.length !== 1)
        throw new DicomwebError("BAD_RESPONSE", `WADO-RS sent ${parts.length} parts for one instance`);
      return parts[0]!.body;
    },
    async storeInstances(files) {
      const { body, contentType } = buildMultipart(files);
      const response = await request("/studies", {
        method: "POST",
        accept: "application/dicom+json",
        body,
        contentType,
      });
      const text = await response.text();
      let answer: DicomJson | undefined;
      try {
        answer = text.trim() ? (JSON.parse(text) as DicomJson) : undefined;
      } catch {
        answer = undefined;
      }
      const failed = (answer?.[TAGS.FailedSOPSequence]?.Value ?? []) as DicomJson[];
      if (!response.ok || failed.length) {
        const reasons = failed.map((f) => `${stringOf(f, "00081155")}: reason ${stringOf(f, TAGS.FailureReason)}`);
        throw new DicomwebError(
          "REJECTED",
          `the PACS refused to store ${failed.length || files.length} object(s) (HTTP ${response.status}${reasons.length ? `; ${reasons.join(", ")}` : ""})`,
          { status: response.status },
        );
      }
      const stored = (answer?.[TAGS.ReferencedSOPSequence]?.Value ?? []) as DicomJson[];
      return { storedSopInstanceUids: stored.map((s) => stringOf(s, "00081155")) };
    },
  };
}

/** Checks a base URL: http(s), no credentials or query in it. Throws INVALID_CONFIG. */
export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DicomwebError("INVALID_CONFIG", `not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new DicomwebError("INVALID_CONFIG", `a DICOMweb URL is http or https (got ${url.protocol})`);
  if (url.username || url.password)
    throw new DicomwebError("INVALID_CONFIG", "put credentials in the authentication settings, not in the URL");
  if (url.search || url.hash) throw new DicomwebError("INVALID_CONFIG", "a DICOMweb base URL has no query or fragment");
  return url.toString().replace(/\/+$/, "");
}

function authorizationOf(auth: DicomwebAuth): string | undefined {
  switch (auth.kind) {
    case "NONE":
      return undefined;
    case "BASIC":
      if (auth.username.includes(":"))
        throw new DicomwebError("INVALID_CONFIG", "a basic-authentication user name cannot contain ':'");
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
    case "BEARER":
      return `Bearer ${auth.token}`;
  }
}

async function refuseUnlessOk(response: Response, path: string) {
  if (response.ok) return;
  const detail = (await response.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ");
  throw new DicomwebError(
    "REJECTED",
    `the PACS answered HTTP ${response.status} to ${path}${detail ? `: ${detail}` : ""}`,
    {
      status: response.status,
    },
  );
}

function uid(value: string): string {
  if (!UID.test(value) || value.length > 64)
    throw new DicomwebError("INVALID_CONFIG", `not a DICOM UID: ${JSON.stringify(value)}`);
  return value;
}

function dateRange(from?: string, to?: string): string | undefined {
  const da = (d: string | undefined, which: string) => {
    if (!d) return "";
    if (!DA.test(d))
      throw new DicomwebError("INVALID_CONFIG", `${which} must be YYYY-MM-DD (got ${JSON.stringify(d)})`);
    return d.replace(/-/g, "");
  };
  const range = `${da(from, "studyDateFrom")}-${da(to, "studyDateTo")}`;
  return range === "-" ? undefined : range;
}

function isoDate(da: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function causeOf(error: unknown): string {
  if (isDicomwebError(error)) return error.message;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
