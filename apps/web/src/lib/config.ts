/** Where the GraphQL API listens (server side only; the browser never calls it directly). */
export const apiUrl = () => process.env.API_URL ?? "http://localhost:4000";
