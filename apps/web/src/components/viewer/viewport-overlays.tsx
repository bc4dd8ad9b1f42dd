/** The text over a viewport: its name, the window and zoom, and loading or error states. */
export function ViewportOverlays({
  name,
  window,
  zoomPx,
  status,
  errors,
}: {
  name: string;
  window: { center: number; width: number } | null;
  /** Device pixels per image pixel. */
  zoomPx: number | null;
  status: { status: "loading" } | { status: "error"; message: string } | { status: "ready" };
  errors: (string | null)[];
}) {
  return (
    <>
      <span className="viewport-label">{name}</span>
      {window && zoomPx !== null ? (
        <span className="viewport-info" aria-hidden="true">
          W {Math.round(window.width)} L {Math.round(window.center)} · {zoomPx.toFixed(2)}×
        </span>
      ) : null}
      {status.status === "loading" ? <span className="viewport-status">Loading {name}…</span> : null}
      {status.status === "error" ? (
        <span className="viewport-status error" role="alert">
          {name}: {status.message}
        </span>
      ) : null}
      {errors
        .filter((e): e is string => Boolean(e))
        .map((e) => (
          <span key={e} className="viewport-status error">
            {e}
          </span>
        ))}
    </>
  );
}
