import type { Db } from "@/lib/db/client";

/**
 * What a Prisma-backed data function runs on: the Prisma client or an interactive transaction on it
 * (Prisma's TransactionClient is the client without these members). A function that writes calls
 * `db.$transaction(…)`, which joins the caller's transaction when `db` is one, so passing a
 * transaction makes the function's writes, and its audit row, part of the caller's unit of work.
 */
export type DbTx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$use" | "$extends">;
