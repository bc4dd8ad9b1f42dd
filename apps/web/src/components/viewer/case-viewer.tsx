"use client";

import { ShortcutHelp } from "@/components/common/shortcut-help";
import type { HangingProtocol } from "@/lib/hanging";
import type { Roi } from "@/viewer/roi-geometry";
import { useCaseViewerState } from "./use-case-viewer-state";
import { useViewerKeys } from "./use-viewer-keys";
import { viewerShortcuts, type Shortcut } from "./viewer-shortcuts";
import { ViewerToolbar, type ViewerLayout } from "./viewer-toolbar";
import { CompareView, HangingView, SingleView, type CommonViewportProps } from "./viewer-layouts";
import type { ViewerImage, ViewerRoi } from "./viewer-types";

type Props = {
  images: ViewerImage[];
  rois?: ViewerRoi[];
  /** Offers the ROI tools (point, box, ellipse, polygon) and editing of editable regions. */
  canDrawRois?: boolean;
  onCreateRoi?: (imageId: string, roi: Roi) => void;
  onUpdateRoi?: (id: string, roi: Roi) => void;
  onDeleteRoi?: (id: string) => void;
  onUndo?: () => void;
  initialLayout?: ViewerLayout;
  /** The user's hanging protocol (saved for them when they change it). */
  hangingProtocol?: HangingProtocol;
  /** Told once every image has been on screen (answers may wait for it). */
  onAllDisplayed?: () => void;
  /** The page's own shortcuts, listed with the viewer's on ?. */
  pageShortcuts?: { title: string; shortcuts: Shortcut[] };
  /** The shortcut list, when the page opens and closes it (its own ? key). */
  isHelpOpen?: boolean;
  onHelpOpenChange?: (open: boolean) => void;
  /** More toolbar controls of the page (e.g. full screen). */
  toolbarExtra?: React.ReactNode;
  /** The heat scale legend in the toolbar (default on). */
  showLegend?: boolean;
  /** Accessible name of the whole viewer. */
  label?: string;
};

/**
 * A case's images: the hanging (1x4 or 2x2), a single view, or a view with its heatmap beside
 * it; shared window/level, inversion and linked zoom; region drawing; magnifier and measurements.
 */
export function CaseViewer(props: Props) {
  const v = useCaseViewerState(props);
  const { images } = props;
  const canDrawRois = Boolean(props.canDrawRois);
  useViewerKeys({
    canDrawRois,
    hasHeatmap: v.hasHeatmap,
    hasSelection: Boolean(v.selected),
    setTool: v.setTool,
    fit: v.fit,
    pixelZoom: v.pixelZoom,
    toggleInvert: () => v.setInverted((x) => !x),
    toggleLink: () => v.setLinked((x) => !x),
    toggleHeatmap: () => v.setShowHeatmap((x) => !x),
    deleteSelected: v.deleteSelected,
    deselect: () => v.setSelectedRoiId(null),
    undo: props.onUndo,
    toggleHelp: () => v.setHelpOpen(!v.isHelpOpen),
  });

  const common: CommonViewportProps = {
    adjust: v.adjust,
    onAdjustChange: v.setAdjust,
    isInverted: v.isInverted,
    tool: v.tool,
    rois: v.rois,
    selectedRoiId: v.selectedRoiId,
    onSelectRoi: v.setSelectedRoiId,
    onCreateRoi: props.onCreateRoi,
    onUpdateRoi: props.onUpdateRoi,
    heatmapOpacity: v.opacity,
    measurements: v.measurements,
    onCreateMeasurement: (m) => v.setMeasurements((list) => [...list, m]),
    onDisplayed: v.onDisplayed,
  };
  const views = { viewOf: v.viewOf, setViewOf: v.setViewOf, isLinked: v.isLinked };
  const focused = v.focused;
  return (
    <div className="case-viewer" data-viewer={v.id} aria-label={props.label ?? "Image viewer"} role="region">
      <ViewerToolbar
        tool={v.tool}
        setTool={v.setTool}
        canDrawRois={canDrawRois}
        adjust={v.adjust}
        setAdjust={v.setAdjust}
        isInverted={v.isInverted}
        toggleInvert={() => v.setInverted((x) => !x)}
        fit={v.fit}
        pixelZoom={v.pixelZoom}
        isLinked={v.isLinked}
        toggleLink={() => v.setLinked((x) => !x)}
        layout={v.layout}
        setLayout={v.setLayout}
        protocol={v.protocol}
        setProtocol={v.setProtocol}
        imageCount={images.length}
        hasHeatmap={v.hasHeatmap}
        showHeatmap={v.showHeatmap}
        setShowHeatmap={v.setShowHeatmap}
        opacity={v.opacity}
        setOpacity={v.setOpacity}
        showLegend={props.showLegend ?? true}
        heatmapDescription={(focused ?? images.find((i) => i.heatmapUrl))?.heatmapDescription}
        canDelete={Boolean(v.selected)}
        deleteSelected={props.onDeleteRoi ? v.deleteSelected : null}
        measurementCount={v.measurements.length}
        clearMeasurements={() => v.setMeasurements([])}
        openHelp={() => v.setHelpOpen(true)}
        extra={props.toolbarExtra}
      />
      {images.length === 0 ? (
        <p className="muted viewer-empty">No images to show.</p>
      ) : v.layout === "hanging" && images.length > 1 ? (
        <HangingView
          images={images}
          protocol={v.protocol}
          common={common}
          showHeatmap={v.showHeatmap}
          focusedId={focused?.id ?? null}
          setFocusedId={v.setFocusedId}
          {...views}
        />
      ) : v.layout === "compare" && focused ? (
        <CompareView focused={focused} common={common} view={v.shared} setView={v.setShared} />
      ) : focused ? (
        <SingleView
          images={images}
          focused={focused}
          common={common}
          showHeatmap={v.showHeatmap}
          setFocusedId={v.setFocusedId}
          {...views}
        />
      ) : null}
      {v.isHelpOpen ? (
        <ShortcutHelp
          groups={[
            ...(props.pageShortcuts ? [props.pageShortcuts] : []),
            { title: "Viewer", shortcuts: viewerShortcuts({ canDrawRois, hasHeatmap: v.hasHeatmap }) },
          ]}
          onClose={() => v.setHelpOpen(false)}
        />
      ) : null}
    </div>
  );
}
