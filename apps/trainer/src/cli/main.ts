// `npm run trainer -- train|evaluate|infer|export ...`: the trainer without the queue, for headless
// use. It works on the platform's database (DATABASE_URL, or the embedded one) and blob store.
import { parseArgs } from "node:util";
import { DatabaseSetupError } from "@mammo/db";
import { isPermanentError, messageOf } from "../errors/trainer-error.ts";
import { CliError } from "./cli-context.ts";
import { evaluateCommand, inferCommand, trainCommand } from "./commands.ts";
import { exportCommand } from "./export-command.ts";
import { weightsCommand } from "./weights-command.ts";

const USAGE = `usage: npm run trainer -- <command> [options]

  train     --dataset-version ID --as EMAIL [--preset quick|ueda-2020] [--params JSON] [--seed N]
            train --run ID --as EMAIL            continue a stopped run from its checkpoints
  evaluate  --model-version ID --dataset-version ID --as EMAIL [--split TEST|VALIDATION|TRAIN]
  infer     --model-version ID --as EMAIL (--study ID | --dataset-version ID | --images ID,ID...)
            [--method GRAD_CAM|GRAD_CAM_PLUS_PLUS] [--layer block5_conv3] [--score LOGIT|PROBABILITY|LOG_ODDS]
  export    --model-version ID --as EMAIL --out DIR   artifact, TF.js layers models, preprocessing.json and
                                                  a reference script (predict.ts), metrics, model card
  weights add  --file VGG16.h5 --site CODE --as EMAIL --source TEXT --licence TEXT [--name TEXT]
                register Keras ImageNet weights (e.g. vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5)
  weights list --site CODE

  IDs:      the database's uuid or the API's id (as GraphQL returns it)

  common:   --backend auto|tensorflow-gpu|tensorflow|...|wasm|cpu   (default: the best available)
            --unreadable-images fail|skip       (default fail; TRAINER_UNREADABLE_IMAGES)`;

const OPTIONS = {
  "dataset-version": { type: "string" },
  "model-version": { type: "string" },
  run: { type: "string" },
  as: { type: "string" },
  preset: { type: "string" },
  params: { type: "string" },
  seed: { type: "string" },
  split: { type: "string" },
  study: { type: "string" },
  images: { type: "string" },
  method: { type: "string" },
  layer: { type: "string" },
  score: { type: "string" },
  file: { type: "string" },
  site: { type: "string" },
  name: { type: "string" },
  source: { type: "string" },
  licence: { type: "string" },
  out: { type: "string" },
  backend: { type: "string" },
  "unreadable-images": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(argv: string[]): Promise<number> {
  const [first, ...others] = argv;
  const [command, afterCommand] = first?.startsWith("-") ? [undefined, argv] : [first, others];
  // `weights add|list`: a subcommand word before the options.
  const sub = command === "weights" && !afterCommand[0]?.startsWith("-") ? afterCommand[0] : undefined;
  const rest = sub ? afterCommand.slice(1) : afterCommand;
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
  if (!command || values.help) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const flags = values as Record<string, string | undefined>;
  switch (command) {
    case "train":
      return trainCommand(flags);
    case "evaluate":
      return evaluateCommand(flags);
    case "infer":
      return inferCommand(flags);
    case "export":
      return exportCommand(flags);
    case "weights":
      return weightsCommand(sub, flags);
    default:
      throw new CliError(`unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known =
      error instanceof CliError ||
      error instanceof DatabaseSetupError ||
      isPermanentError(error) ||
      ((error as Error).name === "TypeError" && String((error as { code?: string }).code).startsWith("ERR_PARSE_ARGS"));
    console.error(`[trainer] error: ${messageOf(error)}`);
    if (!known) console.error(error);
    process.exit(1);
  },
);
