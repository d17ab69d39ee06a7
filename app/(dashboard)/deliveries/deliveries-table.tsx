"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Send } from "lucide-react";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { DeliveryStatusBadge } from "@/components/delivery-status-badge";
import { CopyButton } from "@/components/copy-button";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import type { DeliveryListItem } from "@/lib/deliveries/find-deliveries";

function columns(linkDevices: boolean): ColumnDef<DeliveryListItem>[] {
  return [
    {
      accessorKey: "createdAt",
      header: "When",
      cell: ({ row }) => <RelativeTime value={row.original.createdAt} />,
    },
    {
      id: "what",
      header: "What",
      cell: ({ row }) =>
        row.original.campaign ? (
          <span className="font-medium">{row.original.campaign.name}</span>
        ) : (
          <Badge variant="outline">
            {row.original.kind === "TEST" ? "Test push" : row.original.kind.toLowerCase()}
          </Badge>
        ),
    },
    {
      id: "device",
      header: "Device",
      cell: ({ row }) => {
        const { device } = row.original;
        const shown = device.tokenMasked ? device.token : `${device.token.slice(0, 16)}…`;
        const code = (
          <code
            className="font-mono text-xs"
            title={device.tokenMasked ? "Masked: your role cannot see full tokens" : undefined}
          >
            {shown}
          </code>
        );

        return (
          <div className="flex flex-col">
            <span className="flex items-center gap-1">
              {linkDevices ? (
                <Link href={`/devices/${device.id}`} className="hover:underline">
                  {code}
                </Link>
              ) : (
                code
              )}
              {device.tokenMasked ? null : <CopyButton value={device.token} label="Copy token" />}
            </span>
            <span className="text-muted-foreground text-xs">
              {row.original.app} · {device.environment}
              {device.userId ? ` · ${device.userId}` : ""}
            </span>
          </div>
        );
      },
    },
    {
      accessorKey: "status",
      header: "APNs",
      cell: ({ row }) => (
        <DeliveryStatusBadge status={row.original.status} apnsStatus={row.original.apnsStatus} />
      ),
    },
    {
      accessorKey: "reason",
      header: "Reason",
      cell: ({ row }) =>
        row.original.reason ? (
          <code className="font-mono text-xs">{row.original.reason}</code>
        ) : (
          <span className="text-muted-foreground">—</span>
        ),
    },
    {
      accessorKey: "apnsId",
      header: "apns-id",
      enableSorting: false,
      cell: ({ row }) => (
        <code className="text-muted-foreground font-mono text-xs">
          {row.original.apnsId.slice(0, 8)}…
        </code>
      ),
    },
  ];
}

export function DeliveriesTable({
  rows,
  linkDevices,
  filtered,
}: {
  rows: DeliveryListItem[];
  linkDevices: boolean;
  filtered: boolean;
}) {
  return (
    <DataTable
      columns={columns(linkDevices)}
      data={rows}
      caption="Deliveries, newest first"
      getRowId={(row) => String(row.id)}
      empty={
        <EmptyState icon={Send} title={filtered ? "No deliveries match" : "No deliveries yet"}>
          {filtered
            ? "Try another status or kind."
            : "Each notification sent — by a campaign or a test push — is listed here with its APNs status and reason."}
        </EmptyState>
      }
    />
  );
}
