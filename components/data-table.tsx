"use client";

import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ChevronsUpDown } from "lucide-react";
import { useState } from "react";
import { DataTablePagination, type ServerPagination } from "./data-table-pagination";
import { Skeleton } from "./ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "./ui/table";

type DataTableProps<TData> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's own ColumnDef default
  columns: ColumnDef<TData, any>[];
  data: TData[];
  /** Server-side pagination: the rows are one page; links move through ?page=. */
  pagination?: ServerPagination;
  loading?: boolean;
  /** Shown in place of the rows when there are none (an EmptyState, usually). */
  empty?: React.ReactNode;
  caption?: string;
  getRowId?: (row: TData, index: number) => string;
};

/** Sorting is client-side and applies to the rows on screen (the current page). */
export function DataTable<TData>({
  columns,
  data,
  pagination,
  loading,
  empty,
  caption,
  getRowId,
}: DataTableProps<TData>) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data,
    columns,
    getRowId,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    manualPagination: true,
  });
  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <div>
      <div className="bg-card rounded-xl border">
        <Table aria-busy={loading || undefined}>
          {caption ? <caption className="sr-only">{caption}</caption> : null}
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const label = header.isPlaceholder
                    ? null
                    : flexRender(header.column.columnDef.header, header.getContext());

                  return (
                    <TableHead
                      key={header.id}
                      aria-sort={
                        sorted === "asc"
                          ? "ascending"
                          : sorted === "desc"
                            ? "descending"
                            : undefined
                      }
                    >
                      {header.column.getCanSort() && !header.isPlaceholder ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="hover:text-foreground focus-visible:ring-ring -mx-1.5 inline-flex items-center gap-1 rounded px-1.5 py-1 focus-visible:ring-2 focus-visible:outline-none"
                        >
                          {label}
                          {sorted === "asc" ? <ArrowUp className="size-3.5" aria-hidden /> : null}
                          {sorted === "desc" ? (
                            <ArrowDown className="size-3.5" aria-hidden />
                          ) : null}
                          {!sorted ? (
                            <ChevronsUpDown className="size-3.5 opacity-50" aria-hidden />
                          ) : null}
                        </button>
                      ) : (
                        label
                      )}
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {loading
              ? Array.from({ length: 5 }, (_, i) => (
                  <TableRow key={`skeleton-${i}`} className="hover:bg-transparent">
                    {Array.from({ length: columnCount }, (_, j) => (
                      <TableCell key={j}>
                        <Skeleton className="h-4 w-full max-w-40" />
                      </TableCell>
                    ))}
                  </TableRow>
                ))
              : table.getRowModel().rows.map((row) => (
                  <TableRow key={row.id}>
                    {row.getVisibleCells().map((cell) => (
                      <TableCell key={cell.id}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
            {!loading && data.length === 0 ? (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={columnCount} className="p-4">
                  {empty ?? (
                    <p className="text-muted-foreground py-8 text-center text-sm">No results.</p>
                  )}
                </TableCell>
              </TableRow>
            ) : null}
          </TableBody>
        </Table>
      </div>
      {pagination && !loading ? <DataTablePagination {...pagination} /> : null}
    </div>
  );
}
