/**
 * Where a text label goes near (x, y) so it stays inside the viewport: above and right of the
 * point, flipped below or left when it would leave the edge (labels were clipped at the edge).
 */
export function labelPosition(
  x: number,
  y: number,
  text: string,
  viewport: { width: number; height: number },
  fontPx = 12,
): { x: number; y: number; anchor: "start" | "end" } {
  const widthPx = text.length * fontPx * 0.6;
  const anchor = x + 4 + widthPx > viewport.width - 2 ? "end" : "start";
  const lx = anchor === "end" ? Math.min(x - 4, viewport.width - 2) : Math.max(x + 4, 2);
  const above = y - 6;
  const ly = above - fontPx < 2 ? Math.min(y + fontPx + 6, viewport.height - 4) : Math.min(above, viewport.height - 4);
  return { x: lx, y: ly, anchor };
}
