// Builds the optional native addon at install time. It never fails the install: without a C++
// compiler or Node's headers the addon is simply absent and TensorFlow.js falls back to wasm.
// Nothing is downloaded: Node's headers must be those installed next to the node binary.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const addonPath = join(packageDir, "build", "Release", "native_kernels.node");
// Why the addon is absent, for the loader's start-up line (src/load-native-kernels.ts).
const reasonPath = join(packageDir, "build", "not-built.txt");
const lockPath = join(packageDir, "build.lock");
const force = process.argv.includes("--force");
const say = (line) => console.log(`[native-kernels] ${line}`);

if (process.env.MAMMO_SKIP_NATIVE_BUILD === "1") {
  say("build skipped (MAMMO_SKIP_NATIVE_BUILD=1)");
  process.exit(0);
}

// Several `npm install`s may run this at once (workspaces install in parallel): one builds.
await acquireLock();
process.on("exit", () => rmSync(lockPath, { force: true }));

if (!force && isUpToDate()) {
  say("addon up to date");
  process.exit(0);
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) done(false, "node-gyp not found (it ships with npm)");

const args = [nodeGyp, "rebuild"];
const nodeDir = findNodeHeaders();
if (nodeDir) args.push(`--nodedir=${nodeDir}`);
else
  done(
    false,
    `Node ${process.version}'s headers were not found next to ${process.execPath} (node-gyp would download them; set npm_config_nodedir to a folder with include/node)`,
  );

const result = spawnSync(process.execPath, args, { cwd: packageDir, encoding: "utf8", timeout: 300_000 });
if (result.status === 0 && existsSync(addonPath)) done(true, `built ${addonPath}`);
const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n");
const firstError =
  output.find((line) => /error|not found/i.test(line) && !/^gyp (info|ERR!)/.test(line)) ??
  output.find((line) => /ERR!/.test(line)) ??
  result.error?.message ??
  `exit ${result.status}`;
if (process.env.MAMMO_NATIVE_BUILD_VERBOSE === "1") console.log(output.join("\n"));
done(false, `${firstError.trim()} (MAMMO_NATIVE_BUILD_VERBOSE=1 shows the whole output)`);

function done(isBuilt, detail) {
  say(isBuilt ? detail : `not built: ${detail}. TensorFlow.js will use wasm instead of the native kernels.`);
  try {
    if (isBuilt) rmSync(reasonPath, { force: true });
    else {
      mkdirSync(dirname(reasonPath), { recursive: true });
      writeFileSync(reasonPath, `${detail} (Node ${process.version})\n`);
    }
  } catch {
    // the note is a courtesy; the install never fails for it
  }
  process.exit(0);
}

// Node's headers: npm_config_nodedir, next to the binary (a normal install: <prefix>/include/node),
// or, for the npm registry's \`node\` package (bin/node in node_modules/node), in its
// platform package node_modules/node/node_modules/node-<platform>-<arch>/include/node.
function findNodeHeaders() {
  const prefix = dirname(dirname(process.execPath));
  const candidates = [
    process.env.npm_config_nodedir,
    prefix,
    join(prefix, "node_modules", `node-${process.platform}-${process.arch}`),
    join(dirname(prefix), `node-${process.platform}-${process.arch}`),
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, "include", "node", "node_api.h")));
}

async function acquireLock() {
  const staleMs = 10 * 60_000;
  for (const start = Date.now(); Date.now() - start < staleMs;) {
    try {
      closeSync(openSync(lockPath, "wx"));
      return;
    } catch {
      if (existsSync(lockPath) && Date.now() - statSync(lockPath).mtimeMs > staleMs) rmSync(lockPath, { force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  done(false, `another build holds ${lockPath}`);
}

function isUpToDate() {
  if (!existsSync(addonPath)) return false;
  const built = statSync(addonPath).mtimeMs;
  const sources = [
    join(packageDir, "binding.gyp"),
    ...readdirSync(join(packageDir, "native")).map((name) => join(packageDir, "native", name)),
  ];
  return sources.every((file) => statSync(file).mtimeMs <= built);
}

function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(import.meta.url).resolve("node-gyp/bin/node-gyp.js"));
  } catch {
    // not installed as a package: use npm's own copy
  }
  if (process.env.npm_execpath)
    candidates.push(join(dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  candidates.push(
    join(
      dirname(process.execPath),
      "..",
      "lib",
      "node_modules",
      "npm",
      "node_modules",
      "node-gyp",
      "bin",
      "node-gyp.js",
    ),
  );
  return candidates.find((path) => path && existsSync(path));
}
