"use client";

import { useState, useTransition } from "react";
import { cancelTrainingAction } from "@/app/(app)/training/actions";

export function CancelRunButton({ runId }: { runId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  return (
    <span className="row">
      <button
        type="button"
        disabled={isPending}
        onClick={() =>
          startTransition(async () => {
            if (!window.confirm("Cancel this training run? A running fold stops at its next batch.")) return;
            setError((await cancelTrainingAction(runId)).error);
          })
        }
      >
        {isPending ? "Cancelling…" : "Cancel run"}
      </button>
      {error ? (
        <span role="alert" className="error">
          {error}
        </span>
      ) : null}
    </span>
  );
}
