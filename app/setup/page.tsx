import { connection } from "next/server";
import { redirect } from "next/navigation";
import { getCore } from "@/server/registry";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";

export const metadata = { title: "Set up · Vigil" };

/** First run only: once any account exists this page is gone for good. */
export default async function SetupPage() {
  await connection();
  if (getCore().access.users.count() > 0) redirect("/");
  return (
    <AuthCard title="Set up Vigil">
      <SetupForm />
    </AuthCard>
  );
}
