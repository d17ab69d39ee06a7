import { notFound } from "next/navigation";
import { requirePagePermission } from "@/lib/auth/session";
import { getCampaign } from "@/lib/campaigns/campaigns";
import { isAppError } from "@/lib/errors";

/**
 * An unknown campaign is a real 404: checked here, before loading.tsx starts the response (a
 * notFound() in the page would come after a 200 had been sent).
 */
export default async function CampaignLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ campaignId: string }>;
}) {
  const actor = await requirePagePermission("campaigns.read");
  await getCampaign({ kind: "user", ...actor }, { id: (await params).campaignId }).catch(
    (error) => {
      if (isAppError(error) && error.code === "NOT_FOUND") notFound();
      if ((error as Error).name === "ZodError") notFound();
      throw error;
    },
  );

  return children;
}
