import { subtypeLabel } from "@/lib/labels";
import { exportFileName, exportHref, REPORT_EXPORTS } from "@/lib/report-exports";

/** The report's files for checking it elsewhere: the answers, and per class the RJafroc and iMRMC inputs. */
export function DownloadsSection({
  studyId,
  studyName,
  classes,
}: {
  studyId: string;
  studyName: string;
  classes: string[];
}) {
  return (
    <div className="panel stack">
      <h2>Downloads</h2>
      <p className="muted small">
        Layouts in packages/study-stats/README.md: answers one row per answer (readers and the AI); the MRMC files one
        class against the rest, in both phases where readers read both.
      </p>
      <ul className="plain-list stack" aria-label="Report downloads">
        <li>
          <a href={exportHref(studyId, "answers")} download={exportFileName("answers", studyName)}>
            {REPORT_EXPORTS.answers.title}
          </a>{" "}
          <span className="muted small">{exportFileName("answers", studyName)}</span>
        </li>
        {classes.map((k) => (
          <li key={k}>
            {subtypeLabel(k)} vs the rest:{" "}
            <a href={exportHref(studyId, "rjafroc", k)} download={exportFileName("rjafroc", studyName, k)}>
              {REPORT_EXPORTS.rjafroc.title}
            </a>
            {" · "}
            <a href={exportHref(studyId, "imrmc", k)} download={exportFileName("imrmc", studyName, k)}>
              {REPORT_EXPORTS.imrmc.title}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
