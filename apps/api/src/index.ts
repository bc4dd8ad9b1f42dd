export { createApiServer, type ApiServer } from "./http/server.ts";
export { loadApiConfig, type ApiConfig } from "./config.ts";
export { hashPassword } from "./auth/password.ts";
