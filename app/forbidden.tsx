import { ShieldX } from "lucide-react";
import type { Metadata } from "next";
import { StatusPage } from "@/components/status-page";

export const metadata: Metadata = { title: "No access" };

/** Rendered with HTTP 403 when a page calls forbidden() (lib/auth/session.ts). */
export default function Forbidden() {
  return (
    <StatusPage code="403" icon={ShieldX} title="You don't have access to this page">
      Your role does not include this part of Pushdeck. If you need it, ask an admin.
    </StatusPage>
  );
}
