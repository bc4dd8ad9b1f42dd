import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Request, type Response, type NextFunction } from "express";
import { authenticate } from "../auth/authenticate.ts";
import { createOidcVerifier } from "../auth/oidc.ts";
import type { ApiConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";
import { appErrorFromAccess } from "../errors/access-error.ts";
import { appErrorFromDatabase } from "../errors/database-error.ts";
import { formatGraphQLError, graphqlCodeOf } from "../errors/to-graphql-error.ts";
import type { GraphQLContext, Services } from "../graphql/context.ts";
import { argumentChecksPlugin } from "../graphql/argument-checks.ts";
import { freshLoadersPerMutationPlugin } from "../graphql/request-loader.ts";
import { aliasLimitRule, MAX_DOCUMENT_TOKENS } from "../graphql/limits.ts";
import { schema } from "../graphql/schema.ts";
import { imageRoutes } from "./image-routes.ts";
import { uploadRoutes } from "./upload-routes.ts";
import { weightsUploadRoute } from "./weights-upload-route.ts";
import { pacsRoutes } from "./pacs-routes.ts";
import { saliencyRoutes } from "./saliency-routes.ts";

export type ApiServer = {
  app: express.Express;
  listen: (port: number) => Promise<Server>;
  stop: () => Promise<void>;
};

declare module "express-serve-static-core" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  interface Request {
    requestId: string;
  }
}

export async function createApiServer(services: Services, config: ApiConfig): Promise<ApiServer> {
  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-For decides the address that failed logins are limited by: believe it only when
  // the connection comes from a trusted proxy (the web app's server by default, on loopback).
  app.set("trust proxy", config.trustedProxies.length > 0 ? config.trustedProxies : false);
  const oidc = config.oidc ? createOidcVerifier(config.oidc) : null;
  const httpServer = createServer(app);
  // A client that sends `Expect: 100-continue` waits for the go-ahead before sending its body:
  // POST /imports gives it only once the request is authorised; everything else at once.
  httpServer.on("checkContinue", (req, res) => {
    if (!req.url?.startsWith("/imports")) res.writeContinue();
    app(req, res);
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: !config.isProduction,
    hideSchemaDetailsFromClientErrors: config.isProduction,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Batched requests (a JSON array of operations) are refused: Apollo's default, kept explicit.
    allowBatchedHttpRequests: false,
    validationRules: [aliasLimitRule()],
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    formatError: formatGraphQLError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      argumentChecksPlugin(),
      freshLoadersPerMutationPlugin(),
    ],
  });
  await apollo.start();

  app.use((req, res, next) => {
    req.requestId = randomUUID();
    res.setHeader("x-request-id", req.requestId);
    next();
  });
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    "/graphql",
    express.json({ limit: config.maxRequestBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        ...services,
        viewer: await authenticate(services.db, req.headers.authorization, config.sessionSecret),
        requestId: req.requestId,
        clientIp: req.ip ?? "unknown",
        oidc,
        sealingSecret: config.sessionSecret,
      }),
    }),
  );
  app.use(imageRoutes(services, config));
  app.use(uploadRoutes(services, config));
  app.use(weightsUploadRoute(services, config));
  app.use(saliencyRoutes(services, config));
  app.use(pacsRoutes(services, config));

  // Errors outside GraphQL (image routes, body parsing): the same codes, JSON, no stack.
  app.use((thrown: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const error = appErrorFromAccess(thrown) ?? appErrorFromDatabase(thrown) ?? thrown;
    if (error instanceof AppError) {
      const status = {
        UNAUTHENTICATED: 401,
        FORBIDDEN: 403,
        NOT_FOUND: 404,
        VALIDATION: 400,
        CONFLICT: 409,
        RATE_LIMITED: 429,
        PAYLOAD_TOO_LARGE: 413,
        UNSUPPORTED_MEDIA: 415,
        QUERY_TOO_COMPLEX: 400,
        UPSTREAM: 502,
        INTERNAL: 500,
      }[error.code];
      res.status(status).json({ error: { code: graphqlCodeOf(error.code), message: error.message } });
      return;
    }
    const status = (error as { status?: number }).status;
    if (status === 413) {
      res.status(413).json({ error: { code: "PAYLOAD_TOO_LARGE", message: "request body too large" } });
      return;
    }
    if (status === 400) {
      res.status(400).json({ error: { code: "BAD_REQUEST", message: "malformed request body" } });
      return;
    }
    console.error("[api] unexpected error", error);
    res.status(500).json({ error: { code: "INTERNAL_SERVER_ERROR", message: "internal error" } });
  });

  return {
    app,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, () => resolve(httpServer));
      }),
    // Stops taking requests, lets in-flight ones finish (Apollo's drain plugin closes the server).
    stop: () => apollo.stop(),
  };
}
