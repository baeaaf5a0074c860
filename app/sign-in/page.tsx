import { connection } from "next/server";
import { redirect } from "next/navigation";
import { getCore } from "@/server/registry";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata = { title: "Sign in · Vigil" };

export default async function SignInPage() {
  await connection();
  if (getCore().access.users.count() === 0) redirect("/setup");
  return (
    <AuthCard title="Sign in">
      <SignInForm />
    </AuthCard>
  );
}
