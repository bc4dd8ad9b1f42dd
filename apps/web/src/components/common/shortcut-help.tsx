"use client";

import { useEffect, useRef } from "react";
import type { Shortcut } from "@/components/viewer/viewer-shortcuts";

/** Every shortcut of the page, grouped; opened with ?, closed with Esc, ? or the button. */
export function ShortcutHelp({
  groups,
  onClose,
}: {
  groups: { title: string; shortcuts: Shortcut[] }[];
  onClose: () => void;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div
      className="shortcut-help panel"
      role="dialog"
      aria-modal="true"
      aria-label="Keyboard shortcuts"
      onKeyDown={(event) => {
        if (event.key === "Escape" || event.key === "?") {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className="row">
        <h2>Keyboard shortcuts</h2>
        <span className="spacer" />
        <button ref={closeRef} type="button" onClick={onClose}>
          Close (Esc)
        </button>
      </div>
      <div className="shortcut-columns">
        {groups.map((g) => (
          <table key={g.title} className="shortcut-table">
            <caption>{g.title}</caption>
            <tbody>
              {g.shortcuts.map((s) => (
                <tr key={`${s.keys}-${s.does}`}>
                  <th scope="row">
                    <kbd>{s.keys}</kbd>
                  </th>
                  <td>{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </div>
  );
}
