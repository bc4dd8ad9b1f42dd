"use client";

import { HANGING_SLOTS, type HangingProtocol } from "@/lib/hanging";
import type { ViewState } from "@/viewer/view-transform";
import { MammoViewport } from "./mammo-viewport";
import { viewName, type ViewerImage } from "./viewer-types";

type ViewportProps = React.ComponentProps<typeof MammoViewport>;
/** What every viewport of the viewer shares (tool, window, regions, measurements, callbacks). */
export type CommonViewportProps = Omit<
  ViewportProps,
  "image" | "view" | "onViewChange" | "mirror" | "hug" | "showHeatmap" | "isFocused" | "onFocus" | "label"
>;

type Views = {
  viewOf: (imageId: string) => ViewState;
  setViewOf: (imageId: string, next: ViewState) => void;
  isLinked: boolean;
};

/**
 * The four views hung as radiologists read them, chest walls facing: 1x4 (RCC LCC RMLO LMLO in a
 * row, as tall as the space allows) or 2x2 (CC above MLO). Right breasts hug the right edge of
 * their viewport, left breasts the left; in a linked hanging the left views mirror pan and zoom.
 */
export function HangingView(
  props: {
    images: ViewerImage[];
    protocol: HangingProtocol;
    common: CommonViewportProps;
    showHeatmap: boolean;
  } & Views & {
      focusedId: string | null;
      setFocusedId: (id: string) => void;
    },
) {
  const layoutClass = props.protocol === "ONE_BY_FOUR" ? "layout-1x4" : "layout-2x2";
  return (
    <div className={`viewer-grid hanging-grid ${layoutClass}`} data-hanging={props.protocol}>
      {HANGING_SLOTS.map((slot) => {
        const image = props.images.find((i) => viewName(i) === slot);
        if (!image)
          return (
            <div key={slot} className="viewport empty muted">
              no {slot}
            </div>
          );
        return (
          <MammoViewport
            key={slot}
            {...props.common}
            image={image}
            view={props.viewOf(image.id)}
            onViewChange={(next) => props.setViewOf(image.id, next)}
            mirror={props.isLinked && image.laterality === "L"}
            showHeatmap={props.showHeatmap}
            isFocused={props.focusedId === image.id}
            onFocus={() => props.setFocusedId(image.id)}
          />
        );
      })}
    </div>
  );
}

/** One view, centred, with buttons to pick which. */
export function SingleView(
  props: { images: ViewerImage[]; focused: ViewerImage; common: CommonViewportProps; showHeatmap: boolean } & Views & {
      setFocusedId: (id: string) => void;
    },
) {
  const { focused } = props;
  return (
    <div className="viewer-grid single-grid">
      <MammoViewport
        {...props.common}
        image={focused}
        hug="center"
        view={props.viewOf(focused.id)}
        onViewChange={(next) => props.setViewOf(focused.id, next)}
        mirror={false}
        showHeatmap={props.showHeatmap}
        isFocused
        onFocus={() => undefined}
      />
      {props.images.length > 1 ? (
        <div className="tool-group" role="group" aria-label="Shown view">
          {props.images.map((i) => (
            <button
              key={i.id}
              type="button"
              aria-pressed={i.id === focused.id}
              onClick={() => props.setFocusedId(i.id)}
            >
              {viewName(i)}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** The focused view twice, side by side and linked: its regions on the left, the AI's heatmap on the right. */
export function CompareView(props: {
  focused: ViewerImage;
  common: CommonViewportProps;
  view: ViewState;
  setView: (next: ViewState) => void;
}) {
  const { focused } = props;
  const shared = {
    ...props.common,
    image: focused,
    hug: "center" as const,
    view: props.view,
    onViewChange: props.setView,
    mirror: false,
    onFocus: () => undefined,
  };
  return (
    <div className="viewer-grid compare-grid">
      <MammoViewport {...shared} showHeatmap={false} isFocused label={`${viewName(focused)} regions`} />
      <MammoViewport {...shared} rois={[]} showHeatmap isFocused={false} label={`${viewName(focused)} heatmap`} />
    </div>
  );
}
