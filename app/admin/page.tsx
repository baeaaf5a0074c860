import { connection } from "next/server";
import { AdminConsole } from "@/components/admin/admin-console";
import { requireIdentity } from "../current-identity";

export const metadata = { title: "Administration · Vigil" };

export default async function AdminPage() {
  await connection();
  await requireIdentity({ permission: "users:manage" });
  return <AdminConsole />;
}
