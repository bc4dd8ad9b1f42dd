"use client";

import { useMemo, useState } from "react";
import { CaseViewer } from "@/components/viewer/case-viewer";
import type { ViewerImage, ViewerRoi } from "@/components/viewer/viewer-types";
import { fileUrl, pixelsUrl } from "@/lib/files";
import { heatmapDescription, subtypeLabel } from "@/lib/labels";
import { roiFromApi } from "@/viewer/roi-geometry";

export type ExplorerCase = {
  code: string;
  siteCode: string;
  truth: string;
  aiAnswer: string | null;
  images: { id: string; laterality: "R" | "L"; view: string; widthPx: number; heightPx: number; displayUrl: string }[];
  aiHeatmaps: { imageId: string; url: string; method: string; layerName: string; score: string }[];
  reads: {
    readerLabel: string;
    phase: "UNAIDED" | "AIDED";
    answer: string;
    confidence: number | null;
    isCorrect: boolean;
    region: string | null;
    readingTimeMs: number | null;
    roi: { imageId: string; shape: string; geometry: unknown } | null;
  }[];
};

export const REGION_MEANING: Record<string, string> = {
  A: "reader right, AI wrong (a safety concern)",
  B: "both right",
  C: "reader wrong, AI right (what the AI sees that the reader did not)",
  D: "both wrong (hard cases)",
};

/**
 * The A/B/C/D explorer: pick a region, a reader and a phase; each matching case opens with its
 * images, the reader's ROI and the AI's heatmap side by side.
 */
export function RegionExplorer({
  cases,
  readers,
}: {
  cases: ExplorerCase[];
  readers: { label: string; name: string }[];
}) {
  const [region, setRegion] = useState("C");
  const [reader, setReader] = useState("");
  const [phase, setPhase] = useState<"UNAIDED" | "AIDED">("UNAIDED");
  const matches = useMemo(
    () =>
      cases.flatMap((c) =>
        c.reads
          .filter((r) => r.region === region && r.phase === phase && (!reader || r.readerLabel === reader))
          .map((read) => ({ c, read })),
      ),
    [cases, region, reader, phase],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const current = matches.find((m) => `${m.c.code}-${m.read.readerLabel}` === selected) ?? matches[0];
  const nameOf = (label: string) => readers.find((r) => r.label === label)?.name ?? label;

  const images = useMemo<ViewerImage[]>(
    () =>
      current
        ? current.c.images.map((i) => {
            const heat = current.c.aiHeatmaps.find((h) => h.imageId === i.id);
            return {
              id: i.id,
              laterality: i.laterality,
              view: i.view,
              widthPx: i.widthPx,
              heightPx: i.heightPx,
              pixelsUrl: pixelsUrl(i.displayUrl),
              heatmapUrl: heat ? fileUrl(heat.url) : null,
              heatmapDescription: heat ? heatmapDescription({ ...heat, subtype: current.c.aiAnswer }) : null,
            };
          })
        : [],
    [current],
  );
  const rois = useMemo<ViewerRoi[]>(() => {
    const roi = current?.read.roi;
    const parsed = roi ? roiFromApi(roi.shape, roi.geometry) : null;
    return roi && parsed
      ? [
          {
            id: "reader-roi",
            imageId: roi.imageId,
            roi: parsed,
            label: `${nameOf(current!.read.readerLabel)}'s mark`,
            tone: "reader",
            isEditable: false,
          },
        ]
      : [];
    // eslint-disable-next-line react-hooks/exhaustive-deps -- nameOf reads readers only
  }, [current]);
  const markedImage = current?.read.roi ? images.find((i) => i.id === current.read.roi!.imageId) : undefined;
  // The marked image first, so the side-by-side view opens on it.
  const ordered = markedImage ? [markedImage, ...images.filter((i) => i !== markedImage)] : images;

  return (
    <div className="stack" data-testid="region-explorer">
      <div className="row">
        <div className="tool-group" role="group" aria-label="Region">
          {["A", "B", "C", "D"].map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={region === r}
              onClick={() => setRegion(r)}
              title={REGION_MEANING[r]}
            >
              Region {r}
            </button>
          ))}
        </div>
        <label className="inline-field">
          Reader
          <select value={reader} onChange={(e) => setReader(e.target.value)}>
            <option value="">All readers</option>
            {readers.map((r) => (
              <option key={r.label} value={r.label}>
                {r.label} · {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Phase
          <select value={phase} onChange={(e) => setPhase(e.target.value as "UNAIDED" | "AIDED")}>
            <option value="UNAIDED">Unaided</option>
            <option value="AIDED">Aided</option>
          </select>
        </label>
      </div>
      <p className="muted">
        Region {region}: {REGION_MEANING[region]} · {matches.length} read{matches.length === 1 ? "" : "s"}
      </p>
      {matches.length === 0 ? (
        <p className="muted">No read falls in this region.</p>
      ) : (
        <div className="explorer-layout">
          <ul className="plain-list explorer-list" aria-label={`Reads in region ${region}`}>
            {matches.map(({ c, read }) => {
              const key = `${c.code}-${read.readerLabel}`;
              const isCurrent = current && key === `${current.c.code}-${current.read.readerLabel}`;
              return (
                <li key={key}>
                  <button
                    type="button"
                    aria-pressed={Boolean(isCurrent)}
                    onClick={() => setSelected(key)}
                    className="explorer-item"
                  >
                    <code>{c.code}</code> {read.readerLabel}: {subtypeLabel(read.answer)} · AI{" "}
                    {c.aiAnswer ? subtypeLabel(c.aiAnswer) : "—"} · truth {subtypeLabel(c.truth)}
                  </button>
                </li>
              );
            })}
          </ul>
          {current ? (
            <div className="stack">
              <p>
                Case <code>{current.c.code}</code> ({current.c.siteCode}) · truth{" "}
                <strong>{subtypeLabel(current.c.truth)}</strong> · {nameOf(current.read.readerLabel)} answered{" "}
                <strong>{subtypeLabel(current.read.answer)}</strong>
                {current.read.confidence !== null ? ` (confidence ${current.read.confidence})` : ""} · AI answered{" "}
                <strong>{current.c.aiAnswer ? subtypeLabel(current.c.aiAnswer) : "—"}</strong>
                {current.read.roi ? "" : " · the reader marked no ROI"}
              </p>
              <CaseViewer
                key={`${current.c.code}-${current.read.readerLabel}`}
                images={ordered}
                rois={rois}
                initialLayout={ordered.some((i) => i.heatmapUrl) ? "compare" : "hanging"}
                label={`Case ${current.c.code}: reader's ROI and AI heatmap`}
              />
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}
