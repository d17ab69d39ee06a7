"use server";

import { authedAction } from "@/lib/auth/action";
import {
  createApiKey,
  createApiKeySchema,
  listApiKeys,
  listApiKeysSchema,
  revokeApiKey,
  revokeApiKeySchema,
} from "./manage-api-keys";

// Server actions for Admin → API keys (the page is built on these). All need api-keys.manage; the
// functions they call check it again (docs/data-access.md) and audit in their own transaction.
const access = { permission: "api-keys.manage" } as const;

/** Returns the full key once; the page must show it now and never again. */
export const createApiKeyAction = authedAction(access, createApiKeySchema, ({ actor, input }) =>
  createApiKey(actor, input),
);

export const listApiKeysAction = authedAction(access, listApiKeysSchema, ({ actor, input }) =>
  listApiKeys(actor, input),
);

export const revokeApiKeyAction = authedAction(access, revokeApiKeySchema, ({ actor, input }) =>
  revokeApiKey(actor, input),
);
