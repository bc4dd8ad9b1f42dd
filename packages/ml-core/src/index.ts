export { setupBackend, BACKEND_NAMES, type BackendName, type BackendInfo } from "./backends/setup-backend.ts";
