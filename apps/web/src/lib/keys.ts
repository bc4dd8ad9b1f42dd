/**
 * Whether a key press belongs to a control that types (text fields, selects, an open dialog's
 * own controls): page shortcuts leave those alone.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest("textarea, select, [role=dialog]")) return true;
  const input = target.closest("input");
  return Boolean(input && !["radio", "checkbox", "range", "button", "submit"].includes(input.type));
}

export const hasCommandModifier = (event: KeyboardEvent | React.KeyboardEvent) =>
  event.metaKey || event.ctrlKey || event.altKey;
