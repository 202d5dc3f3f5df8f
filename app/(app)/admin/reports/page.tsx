import type { Metadata } from "next";

import { MatchReports } from "@/components/admin/match-reports";

export const metadata: Metadata = { title: "Match reports" };

/** Administrators only: the socket answers FORBIDDEN to anyone else, and the page says so. */
export default function MatchReportsPage() {
  return <MatchReports />;
}
