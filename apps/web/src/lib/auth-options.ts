import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { apiUrl } from "./config";

/**
 * Sessions are JWTs (next-auth encrypts them with NEXTAUTH_SECRET); the API decrypts the same
 * token with the same secret. Credentials are checked by the API's `login` mutation, which
 * also rate-limits failures.
 */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const forwardedFor = (req.headers?.["x-forwarded-for"] as string | undefined) ?? "";
        const response = await fetch(`${apiUrl()}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
          body: JSON.stringify({
            query: "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { id email name } }",
            variables: { email: credentials.email, password: credentials.password },
          }),
        });
        const body = (await response.json()) as {
          data?: { login: { id: string; email: string; name: string } };
          errors?: { message: string; extensions?: { code?: string } }[];
        };
        const error = body.errors?.[0];
        if (error?.extensions?.code === "RATE_LIMITED") throw new Error(error.message);
        return body.data?.login ?? null;
      },
    }),
  ],
  callbacks: {
    session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
