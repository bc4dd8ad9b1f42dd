import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth-options";
import { getMe, hasRole } from "@/lib/viewer-context";

/** Each role lands where its work is. */
export default async function Home() {
  if (!(await getServerSession(authOptions))) redirect("/sign-in");
  const me = await getMe();
  if (!me) redirect("/sign-in");
  if (hasRole(me, "ADMIN", "COORDINATOR", "ANNOTATOR", "ML_ENGINEER")) redirect("/cases");
  if (hasRole(me, "READER")) redirect("/reading");
  redirect("/no-access");
}
