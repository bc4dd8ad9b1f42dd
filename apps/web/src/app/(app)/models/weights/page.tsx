import Link from "next/link";
import { DataTable } from "@/components/common/data-table";
import { WeightsUploadForm } from "@/components/models/weights-upload-form";
import { formatDateTime } from "@/lib/format";
import { graphql } from "@/lib/graphql";
import { currentSite, getMe } from "@/lib/viewer-context";

type Weights = {
  weightsId: string;
  name: string;
  sha256: string;
  sizeBytes: number;
  fileName: string;
  source: string;
  licence: string;
  createdByName: string;
  createdAt: string;
  site: { code: string };
};

const QUERY = /* GraphQL */ `
  query Weights($siteId: ID) {
    pretrainedWeights(siteId: $siteId) {
      weightsId
      name
      sha256
      sizeBytes
      fileName
      source
      licence
      createdByName
      createdAt
      site {
        code
      }
    }
  }
`;

/** Registered ImageNet weights of the ML engineer's sites, and the upload of a new file. */
export default async function WeightsPage() {
  const me = (await getMe())!;
  const site = await currentSite(me);
  const mlSites = me.memberships.filter((m) => m.role === "ML_ENGINEER").map((m) => m.site);
  const { pretrainedWeights } = await graphql<{ pretrainedWeights: Weights[] }>(QUERY, { siteId: site?.id ?? null });
  return (
    <section className="stack">
      <p>
        <Link href="/models">← Models</Link>
      </p>
      <h1>ImageNet weights</h1>
      <p className="muted">
        The ueda-2020 preset fine-tunes VGG-16 from ImageNet weights: upload Keras&apos;{" "}
        <code>vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5</code> once per site. It is checked (the 13 VGG-16
        convolutions and their shapes), stored by its digest, and training runs name it by id.
      </p>
      <div className="panel">
        <h2>Registered</h2>
        {pretrainedWeights.length === 0 ? (
          <p className="muted" data-testid="no-weights">
            No weights registered{site ? ` at ${site.code}` : ""} yet.
          </p>
        ) : (
          <DataTable
            label="Registered weights"
            columns={["Name", "Site", "sha256", "Size", "Source", "Licence", "Registered"]}
          >
            {pretrainedWeights.map((w) => (
              <tr key={w.weightsId}>
                <td>
                  {w.name}
                  <div className="muted">{w.fileName}</div>
                </td>
                <td>{w.site.code}</td>
                <td>
                  <code data-testid="weights-digest">{w.sha256}</code>
                </td>
                <td>{(w.sizeBytes / 2 ** 20).toFixed(1)} MiB</td>
                <td>{w.source}</td>
                <td>{w.licence}</td>
                <td>
                  {formatDateTime(w.createdAt)} · {w.createdByName}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      {mlSites.length > 0 ? (
        <div className="panel">
          <h2>Upload</h2>
          <WeightsUploadForm sites={mlSites.map((s) => ({ code: s.code, name: s.name }))} defaultSite={site?.code} />
        </div>
      ) : null}
    </section>
  );
}
