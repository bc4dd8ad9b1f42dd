"use client";

import { confidenceOfDigit } from "./use-reading-keys";

const STEPS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0].map((digit) => ({ digit, value: confidenceOfDigit(digit) }));

/**
 * The confidence in the answer, 0-100, with no default: ten steps (keys 1-9 and 0 once the
 * subtype is chosen) and arrows to adjust by 5 or 1.
 */
export function ConfidenceScale({
  value,
  onChange,
  isKeyTarget,
  prompt,
}: {
  value: number | null;
  onChange: (value: number) => void;
  isKeyTarget: boolean;
  prompt: string;
}) {
  return (
    <fieldset className={`confidence-scale${isKeyTarget ? " key-target" : ""}`} aria-describedby="confidence-keys">
      <legend>
        {prompt}: <strong data-testid="confidence-value">{value === null ? "not given" : value}</strong>
      </legend>
      <div className="confidence-steps" role="group" aria-label="Confidence">
        {STEPS.map((s) => (
          <button
            key={s.value}
            type="button"
            aria-pressed={value === s.value}
            onClick={() => onChange(s.value)}
            title={`Confidence ${s.value}`}
          >
            {s.value}
          </button>
        ))}
      </div>
      <p id="confidence-keys" className="muted small">
        {isKeyTarget
          ? "Keys now set the confidence: 1–9 = 10–90, 0 = 100; ↑↓ ±5, ←→ ±1; Backspace: subtype keys."
          : "Choose the subtype first (keys), then the confidence."}
      </p>
    </fieldset>
  );
}
