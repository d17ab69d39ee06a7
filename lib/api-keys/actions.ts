"use server";

import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import { createApiKey, createApiKeySchema, listApiKeys, revokeApiKey } from "./manage-api-keys";

// Server actions for Admin → API keys (the page is built on these). All need api-keys.manage.
const access = { permission: "api-keys.manage" } as const;
const actorOf = (actor: { id: string; email: string }) => ({
  type: "USER" as const,
  id: actor.id,
  label: actor.email,
});

/** Returns the full key once; the page must show it now and never again. */
export const createApiKeyAction = authedAction(
  access,
  createApiKeySchema,
  async ({ actor, input }) => createApiKey(getDb(), actorOf(actor), input),
);

export const listApiKeysAction = authedAction(
  access,
  z.strictObject({ includeRevoked: z.boolean().optional() }),
  async ({ input }) => listApiKeys(getDb(), input),
);

export const revokeApiKeyAction = authedAction(
  access,
  z.strictObject({ id: z.string().min(1).max(64) }),
  async ({ actor, input }) => revokeApiKey(getDb(), actorOf(actor), input.id),
);
