import { ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

type Links = { previous: string | null; next: string | null; first: string | null };

/**
 * Previous/next by keyset cursor: no page numbers or totals, because counting a million-row search
 * on every page view is exactly the cost keyset pagination avoids.
 */
export function KeysetPagination({
  links,
  shown,
  noun = ["device", "devices"],
}: {
  links: Links;
  shown: number;
  /** What the rows are, singular and plural (the campaigns list reuses this). */
  noun?: [string, string];
}) {
  const link = (href: string | null, label: string, icon: React.ReactNode, text?: string) =>
    href ? (
      <Button variant="outline" size="sm" asChild>
        <Link href={href} aria-label={label}>
          {icon}
          {text}
        </Link>
      </Button>
    ) : (
      <Button variant="outline" size="sm" disabled aria-label={label}>
        {icon}
        {text}
      </Button>
    );

  return (
    <nav
      aria-label="Pagination"
      className="text-muted-foreground flex items-center justify-between gap-4 px-1 pt-3 text-sm"
    >
      <p aria-live="polite">
        {shown === 0 ? "No rows" : `${shown} ${shown === 1 ? noun[0] : noun[1]} on this page`}
      </p>
      <div className="flex items-center gap-2">
        {links.first ? link(links.first, "First page", <ChevronsLeft />) : null}
        {link(links.previous, "Previous page", <ChevronLeft />, "Previous")}
        {link(links.next, "Next page", <ChevronRight />, "Next")}
      </div>
    </nav>
  );
}
