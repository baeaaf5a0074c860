import { connection } from "next/server";
import { AdminConsole } from "@/components/admin/admin-console";
import { adminTab } from "@/components/admin/admin-tabs";
import { requireIdentity } from "../current-identity";

export const metadata = { title: "Administration · Vigil" };

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  await requireIdentity({ permission: "users:manage" });
  return <AdminConsole initialTab={adminTab((await searchParams).tab)} />;
}
