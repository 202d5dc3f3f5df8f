import type { Metadata } from "next";

import { AdminDashboard } from "@/components/admin/admin-dashboard";

export const metadata: Metadata = { title: "Admin dashboard" };

/** Administrators only: the socket answers FORBIDDEN to anyone else, and the page says so. */
export default function AdminDashboardPage() {
  return <AdminDashboard />;
}
