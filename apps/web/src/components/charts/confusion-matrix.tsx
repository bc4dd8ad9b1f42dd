import { subtypeLabel } from "@/lib/labels";

/**
 * A confusion matrix as a heat table: rows are the truth, columns the answer; the shade is the
 * share of the row (so classes of any size compare), the count is written in every cell.
 */
export function ConfusionMatrix({
  classes,
  counts,
  title,
  answerLabel = "Predicted",
}: {
  classes: string[];
  counts: number[][];
  title: string;
  answerLabel?: string;
}) {
  return (
    <table className="confusion" aria-label={title}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Truth \ {answerLabel}</th>
          {classes.map((c) => (
            <th key={c} scope="col">
              {subtypeLabel(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {classes.map((truth, i) => {
          const row = counts[i] ?? [];
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={truth}>
              <th scope="row">{subtypeLabel(truth)}</th>
              {classes.map((answer, j) => {
                const n = row[j] ?? 0;
                const share = total ? n / total : 0;
                const isDiagonal = i === j;
                const background = isDiagonal
                  ? `rgba(40, 160, 90, ${0.1 + share * 0.6})`
                  : `rgba(200, 60, 60, ${share * 0.7})`;
                return (
                  <td
                    key={answer}
                    style={{ background, color: "#fff" }}
                    title={`truth ${subtypeLabel(truth)}, ${answerLabel.toLowerCase()} ${subtypeLabel(answer)}: ${n} of ${total} (${total ? Math.round(share * 100) : 0}%)`}
                  >
                    {n}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
