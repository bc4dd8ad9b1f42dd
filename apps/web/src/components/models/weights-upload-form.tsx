"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

type Result = { error: string | null; registered: string | null };

/** Uploads a Keras .h5 weights file with its source and licence (POST /api/pretrained-weights, streamed to the API). */
export function WeightsUploadForm({
  sites,
  defaultSite,
}: {
  sites: { code: string; name: string }[];
  defaultSite?: string;
}) {
  const router = useRouter();
  const [state, setState] = useState<Result>({ error: null, registered: null });
  const [isPending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const site = String(form.get("site") ?? "");
    form.delete("site");
    setPending(true);
    try {
      const response = await fetch(`/api/pretrained-weights?site=${encodeURIComponent(site)}`, {
        method: "POST",
        body: form,
        credentials: "same-origin",
      });
      const body = (await response.json()) as { sha256?: string; name?: string; error?: { message: string } };
      if (!response.ok)
        setState({ error: body.error?.message ?? `upload failed (${response.status})`, registered: null });
      else {
        setState({ error: null, registered: `Registered "${body.name}" (sha256 ${body.sha256})` });
        router.refresh();
      }
    } catch {
      setState({ error: "The upload did not reach the server.", registered: null });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack" aria-label="Upload ImageNet weights">
      <div className="row">
        <div className="field">
          <label htmlFor="w-site">Site</label>
          <select id="w-site" name="site" defaultValue={defaultSite ?? sites[0]?.code}>
            {sites.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="w-file">Keras .h5 file</label>
          <input id="w-file" name="file" type="file" accept=".h5,.hdf5" required />
        </div>
        <div className="field">
          <label htmlFor="w-name">Name (optional)</label>
          <input id="w-name" name="name" placeholder="the file's name" />
        </div>
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="w-source">Source</label>
          <input
            id="w-source"
            name="source"
            required
            size={50}
            placeholder="e.g. Keras Applications, fchollet/deep-learning-models release v0.1"
          />
        </div>
        <div className="field">
          <label htmlFor="w-licence">Licence</label>
          <input id="w-licence" name="licence" required placeholder="e.g. MIT" />
        </div>
      </div>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
      {state.registered ? (
        <p role="status" data-testid="weights-registered">
          {state.registered}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Uploading…" : "Upload and register"}
      </button>
    </form>
  );
}
