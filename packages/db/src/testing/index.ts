export { createTestDatabase, type TestDatabase } from "./test-database.ts";
export { findFreePort } from "./free-port.ts";
