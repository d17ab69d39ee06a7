"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { Button } from "./ui/button";

export type ServerPagination = {
  /** 1-based current page. */
  page: number;
  pageSize: number;
  total: number;
  /** The search parameter that carries the page (default "page"). */
  param?: string;
};

/** Previous/next links that keep the other search parameters (?page= for server-rendered lists). */
export function DataTablePagination({ page, pageSize, total, param = "page" }: ServerPagination) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  const hrefFor = (target: number) => {
    const params = new URLSearchParams(searchParams.toString());
    if (target <= 1) params.delete(param);
    else params.set(param, String(target));
    const query = params.toString();

    return query ? `${pathname}?${query}` : pathname;
  };

  const link = (target: number, label: string, icon: React.ReactNode, disabled: boolean) =>
    disabled ? (
      <Button variant="outline" size="sm" disabled aria-label={label}>
        {icon}
      </Button>
    ) : (
      <Button variant="outline" size="sm" asChild>
        <Link href={hrefFor(target)} aria-label={label}>
          {icon}
        </Link>
      </Button>
    );

  return (
    <div className="text-muted-foreground flex items-center justify-between gap-4 px-1 pt-3 text-sm">
      <p aria-live="polite">
        {total === 0
          ? "No rows"
          : `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${total.toLocaleString("en")}`}
      </p>
      <div className="flex items-center gap-2">
        <span>
          Page {page} of {pageCount}
        </span>
        {link(page - 1, "Previous page", <ChevronLeft />, page <= 1)}
        {link(page + 1, "Next page", <ChevronRight />, page >= pageCount)}
      </div>
    </div>
  );
}
