"use client";

import { useCallback, useEffect, useId, useState } from "react";
import { saveHangingProtocolAction } from "@/app/(app)/preference-actions";
import type { HangingProtocol } from "@/lib/hanging";
import { FIT_VIEW, zoomToPixel, type ViewState } from "@/viewer/view-transform";
import { NO_ADJUST, type WindowAdjust } from "@/viewer/window-lut";
import type { ViewerLayout } from "./viewer-toolbar";
import type { Measurement, ViewerImage, ViewerRoi, ViewerTool } from "./viewer-types";

type Input = {
  images: ViewerImage[];
  rois?: ViewerRoi[];
  onDeleteRoi?: (id: string) => void;
  initialLayout?: ViewerLayout;
  hangingProtocol?: HangingProtocol;
  onAllDisplayed?: () => void;
  isHelpOpen?: boolean;
  onHelpOpenChange?: (open: boolean) => void;
};

/** The viewer's own state (layout, tool, window, views, selection, measurements, what is on screen) and its actions. */
export function useCaseViewerState(props: Input) {
  const { images } = props;
  const id = useId();
  const hasHeatmap = images.some((i) => i.heatmapUrl);
  const [layout, setLayout] = useState<ViewerLayout>(props.initialLayout ?? "hanging");
  const [protocol, setProtocolState] = useState<HangingProtocol>(props.hangingProtocol ?? "ONE_BY_FOUR");
  const [tool, setTool] = useState<ViewerTool>("window");
  const [adjust, setAdjust] = useState<WindowAdjust>(NO_ADJUST);
  const [isInverted, setInverted] = useState(false);
  const [isLinked, setLinked] = useState(true);
  const [shared, setShared] = useState<ViewState>(FIT_VIEW);
  const [perView, setPerView] = useState<Record<string, ViewState>>({});
  const [focusedId, setFocusedId] = useState<string | null>(images[0]?.id ?? null);
  const [selectedRoiId, setSelectedRoiId] = useState<string | null>(null);
  const [showHeatmap, setShowHeatmap] = useState(hasHeatmap);
  const [opacity, setOpacity] = useState(0.5);
  const [measurements, setMeasurements] = useState<Measurement[]>([]);
  const [ownHelpOpen, setOwnHelpOpen] = useState(false);
  const isHelpOpen = props.isHelpOpen ?? ownHelpOpen;
  const setHelpOpen = props.onHelpOpenChange ?? setOwnHelpOpen;
  const [displayed, setDisplayed] = useState<ReadonlySet<string>>(new Set());
  const focused = images.find((i) => i.id === focusedId) ?? images[0];
  const rois = props.rois ?? [];
  const selected = rois.find((r) => r.id === selectedRoiId && r.isEditable);

  const { onAllDisplayed } = props;
  const isAllDisplayed = images.length > 0 && images.every((i) => displayed.has(i.id));
  useEffect(() => {
    if (isAllDisplayed) onAllDisplayed?.();
  }, [isAllDisplayed, onAllDisplayed]);
  const onDisplayed = useCallback(
    (imageId: string) => setDisplayed((d) => (d.has(imageId) ? d : new Set([...d, imageId]))),
    [],
  );

  const viewOf = (key: string) => (isLinked ? shared : (perView[key] ?? FIT_VIEW));
  const setViewOf = useCallback(
    (key: string, next: ViewState) => (isLinked ? setShared(next) : setPerView((p) => ({ ...p, [key]: next }))),
    [isLinked],
  );
  const fit = () => {
    setShared(FIT_VIEW);
    setPerView({});
  };
  const setProtocol = (next: HangingProtocol) => {
    setProtocolState(next);
    void saveHangingProtocolAction(next).catch(() => undefined); // a failed save only loses the preference
  };

  function pixelZoom() {
    const element =
      document.querySelector<HTMLElement>(`[data-viewer="${id}"] .viewport.focused`) ??
      document.querySelector<HTMLElement>(`[data-viewer="${id}"] .viewport`);
    if (!element || !focused) return;
    const viewport = { widthPx: element.clientWidth, heightPx: element.clientHeight };
    const isHanging = layout === "hanging" && images.length > 1;
    const placement = {
      hug: isHanging ? (focused.laterality === "R" ? "right" : "left") : "center",
      flip: false,
      mirror: isHanging && isLinked && focused.laterality === "L",
    } as const;
    const dpr = globalThis.devicePixelRatio || 1;
    const { widthPx, heightPx } = viewport;
    setViewOf(
      focused.id,
      zoomToPixel(viewOf(focused.id), widthPx / 2, heightPx / 2, dpr, viewport, focused, placement),
    );
  }

  const deleteSelected = () => {
    if (selected && props.onDeleteRoi) {
      props.onDeleteRoi(selected.id);
      setSelectedRoiId(null);
    }
  };

  return {
    id,
    hasHeatmap,
    layout,
    setLayout,
    protocol,
    setProtocol,
    tool,
    setTool,
    adjust,
    setAdjust,
    isInverted,
    setInverted,
    isLinked,
    setLinked,
    shared,
    setShared,
    focused,
    setFocusedId,
    selected,
    selectedRoiId,
    setSelectedRoiId,
    showHeatmap,
    setShowHeatmap,
    opacity,
    setOpacity,
    measurements,
    setMeasurements,
    isHelpOpen,
    setHelpOpen,
    onDisplayed,
    viewOf,
    setViewOf,
    fit,
    pixelZoom,
    deleteSelected,
    rois,
  };
}
