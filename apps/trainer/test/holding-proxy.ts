// An HTTP proxy in front of a PACS that can hold chosen requests until the test releases them:
// a worker can then be killed at a known point of an import (waiting on the network).
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type HoldingProxy = {
  url: string;
  /** Every path asked for, in order. */
  paths: string[];
  /** Requests whose path matches are held (not answered) until release(). */
  hold(pattern: RegExp): void;
  /** True once a held request is waiting. */
  isHolding(): boolean;
  release(): void;
  close(): Promise<void>;
};

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const paths: string[] = [];
  let pattern: RegExp | null = null;
  let waiting = 0;
  let released: () => void = () => {};
  let gate = Promise.resolve();
  const server: Server = createServer(async (req, res) => {
    paths.push(req.url!);
    if (pattern?.test(req.url!)) {
      waiting++;
      await gate;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    hold(p) {
      pattern = p;
      gate = new Promise((resolve) => (released = resolve));
    },
    isHolding: () => waiting > 0,
    release() {
      pattern = null;
      released();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
