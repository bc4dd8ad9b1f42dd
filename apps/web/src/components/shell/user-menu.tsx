"use client";

import { useEffect, useRef, useState } from "react";

/** The signed-in person: name, roles per site, sign out. */
export function UserMenu({ name, email, roles }: { name: string; email: string; roles: string[] }) {
  const [isOpen, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !ref.current?.contains(event.target as Node))
        setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [isOpen]);
  return (
    <div className="user-menu" ref={ref}>
      <button type="button" aria-expanded={isOpen} aria-haspopup="true" onClick={() => setOpen((v) => !v)}>
        {name}
      </button>
      {isOpen ? (
        <div className="user-menu-panel panel stack" role="menu" aria-label="User menu">
          <div>
            <strong>{name}</strong>
            <div className="muted">{email}</div>
          </div>
          <ul className="plain-list" aria-label="Your roles">
            {roles.map((r) => (
              <li key={r} className="muted">
                {r}
              </li>
            ))}
          </ul>
          <button
            type="button"
            role="menuitem"
            // A full navigation: images still loading on this page are cancelled before the session ends.
            // eslint-disable-next-line @next/next/no-location-assign-relative-destination
            onClick={() => window.location.assign("/sign-out")}
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
