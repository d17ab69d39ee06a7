import { Compass } from "lucide-react";
import type { Metadata } from "next";
import { StatusPage } from "@/components/status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage code="404" icon={Compass} title="Page not found">
      There is nothing at this address. It may have moved, or the link may be mistyped.
    </StatusPage>
  );
}
