import type { Principal } from "@/lib/auth/guard";
import { zodFieldErrors } from "@/lib/auth/guard";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { deviceRegistrationSchema, toDbEnvironment } from "@/lib/validations/device";
import { appNotFoundMessage, assertAllowed, resolveApps } from "./device-access";
import { registrationAuditEntry } from "./record-device-audit";
import { tokenKey } from "./token-key";
import {
  deviceKey,
  keyOrder,
  writeRegistrations,
  type DeviceRow,
  type UpsertKind,
  type UpsertResult,
} from "./upsert-devices";

export type FieldError = { field: string; message: string };
export type RegistrationResult =
  | { index: number; status: 201 | 200; result: UpsertKind; token: string; deviceId: number }
  | { index: number; status: 422; token?: string; errors: FieldError[] };
export type RegistrationSummary = {
  received: number;
  created: number;
  refreshed: number;
  reactivated: number;
  rejected: number;
};

const toFieldErrors = (fields: Record<string, string[]>): FieldError[] =>
  Object.entries(fields).flatMap(([field, messages]) =>
    messages.map((message) => ({ field, message })),
  );

/**
 * Registers or refreshes devices: the single endpoint calls it with one item, the batch endpoint
 * with up to 10,000. Items are validated one by one (a bad item gets a 422 result, the others go
 * on); the good ones are written together in one transaction, so a failure writes nothing.
 * Idempotent on (app, environment, token): 201 created, 200 refreshed or reactivated.
 */
export async function registerDevices(
  principal: Principal,
  items: readonly unknown[],
  options: { sql?: SqlRunner; now?: Date; ip?: string | null } = {},
): Promise<{ results: RegistrationResult[]; summary: RegistrationSummary }> {
  assertAllowed(principal, "devices.write", "devices:write");
  const sql = options.sql ?? getSql();
  const now = options.now ?? new Date();
  const results: RegistrationResult[] = new Array(items.length);
  const parsed = items.map((item, index) => {
    const result = deviceRegistrationSchema.safeParse(item);
    if (!result.success) {
      const token =
        typeof (item as { token?: unknown })?.token === "string"
          ? String((item as { token: string }).token).slice(0, 200)
          : undefined;
      results[index] = {
        index,
        status: 422,
        token,
        errors: toFieldErrors(zodFieldErrors(result.error)),
      };

      return null;
    }

    return result.data;
  });
  const apps = await resolveApps(
    sql,
    principal,
    parsed.flatMap((p) => (p ? [p.app] : [])),
  );
  let rows: DeviceRow[] = [];
  let rowIndex: number[] = [];
  const seen = new Map<string, number>();
  parsed.forEach((p, index) => {
    if (!p) return;
    const app = apps.get(p.app);
    if (!app || app.archivedAt) {
      const message = app
        ? `app "${p.app}" is archived; it no longer accepts registrations`
        : appNotFoundMessage(p.app, principal);
      results[index] = { index, status: 422, token: p.token, errors: [{ field: "app", message }] };

      return;
    }
    const environment = toDbEnvironment(p.environment);
    const k = deviceKey(app.id, environment, p.token);
    const first = seen.get(k);
    if (first !== undefined) {
      results[index] = {
        index,
        status: 422,
        token: p.token,
        errors: [
          {
            field: "token",
            message: `the same token is already at index ${first} of this batch; send each token once`,
          },
        ],
      };

      return;
    }
    seen.set(k, index);
    rowIndex.push(index);
    rows.push({
      appId: app.id,
      environment,
      token: p.token,
      tokenKey: tokenKey(p.token),
      userId: p.userId ?? null,
      locale: p.locale ?? null,
      timeZone: p.timeZone ?? null,
      appVersion: p.appVersion ?? null,
      osVersion: p.osVersion ?? null,
      model: p.model ?? null,
      attributes: p.attributes ? JSON.stringify(p.attributes) : null,
      tags: p.tags ?? null,
    });
  });
  if (rows.length) {
    // Sorted here, before the write lock is taken, rather than by upsertDevices while holding it.
    const order = keyOrder(rows);
    rows = order.map((i) => rows[i]);
    rowIndex = order.map((i) => rowIndex[i]);
    const by = JSON.stringify({
      by: principal.kind === "user" ? `user:${principal.id}` : `api-key:${principal.id}`,
    });
    const ip = options.ip ?? null;
    const fill = (written: readonly UpsertResult[]) =>
      written.forEach((w, j) => {
        const index = rowIndex[j];
        results[index] = {
          index,
          status: w.kind === "created" ? 201 : 200,
          result: w.kind,
          token: rows[j].token,
          deviceId: w.deviceId,
        };
      });
    // Registrations arriving together share one transaction and the same statements
    // (lib/db/group-commit.ts); the audit entry is written with them.
    fill(
      await writeRegistrations(sql, {
        rows,
        now,
        detail: by,
        audit: (written) => {
          fill(written);

          return registrationAuditEntry(
            principal,
            summarize(results),
            now,
            ip,
            written.length === 1 ? written[0].deviceId : null,
          );
        },
      }),
    );
  }

  return { results, summary: summarize(results) };
}

function summarize(results: readonly (RegistrationResult | undefined)[]): RegistrationSummary {
  const summary: RegistrationSummary = {
    received: results.length,
    created: 0,
    refreshed: 0,
    reactivated: 0,
    rejected: 0,
  };
  for (const r of results) {
    if (!r) continue;
    if (r.status === 422) summary.rejected++;
    else summary[r.result]++;
  }

  return summary;
}

/** The single-registration form: throws a 422 AppError with field errors instead of a result row. */
export async function registerDevice(
  principal: Principal,
  item: unknown,
  options: { sql?: SqlRunner; now?: Date; ip?: string | null } = {},
) {
  const { results } = await registerDevices(principal, [item], options);
  const [result] = results;
  if (result.status === 422) {
    throw new AppError(
      "VALIDATION",
      result.errors.map((e) => `${e.field}: ${e.message}`).join("; "),
      Object.fromEntries(result.errors.map((e) => [e.field, [e.message]])),
    );
  }

  return result;
}
