import cliProgress from "cli-progress";
import type { ProgressEvent } from "../queue/job-handler.ts";

const fixed = (value: number | null | undefined) => (value === null || value === undefined ? "-" : value.toFixed(3));

/**
 * Training progress for the CLI: a progress bar per epoch on a terminal, plain log lines (one per
 * epoch and step) when the output is a file or a pipe.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const isTty = Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let barKey = "";

  const stopBar = () => {
    bar?.stop();
    bar = null;
    barKey = "";
  };
  const line = (text: string) => {
    if (bar) stopBar();
    stream.write(`${text}\n`);
  };

  return {
    log: line,
    onProgress(event: ProgressEvent) {
      if (event.kind === "step") return line(`[trainer] ${event.message}`);
      const where = `fold ${event.fold + 1}/${event.folds} epoch ${event.epoch}/${event.epochs}`;
      if (event.kind === "epoch") {
        return line(
          `[trainer] ${where}: loss ${fixed(event.loss)} accuracy ${fixed(event.accuracy)} val_loss ${fixed(event.valLoss)} val_accuracy ${fixed(event.valAccuracy)}`,
        );
      }
      if (!isTty) return;
      const key = `${event.fold}/${event.epoch}`;
      if (barKey !== key) {
        stopBar();
        bar = new cliProgress.SingleBar(
          {
            format: `${where} [{bar}] batch {value}/{total}  loss {loss}  accuracy {accuracy}  {duration_formatted} elapsed, eta {eta_formatted}`,
            stream,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.batches, 0, { loss: "-", accuracy: "-" });
        barKey = key;
      }
      bar!.update(event.batch, { loss: fixed(event.loss), accuracy: fixed(event.accuracy) });
    },
    stop: stopBar,
  };
}
