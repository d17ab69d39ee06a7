import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TRANSITIONS,
  canTransition,
  moveCampaign,
  transition,
  TRANSITION_NAMES,
  type CampaignStatus,
} from "@/lib/campaigns/status";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// The status table enforced by the database: every (status, transition) pair, legal or not, is
// tried as the compare-and-set UPDATE that every caller goes through.
let t: TestDatabase;
let appId = "";
beforeAll(async () => {
  t = await createTestDatabase();
  appId = (await t.db.app.create({ data: { name: "A", bundleId: "com.example.status" } })).id;
});
afterAll(() => t.drop());

const campaignIn = async (status: CampaignStatus) =>
  (
    await t.db.campaign.create({
      data: {
        appId,
        name: `in ${status}`,
        status,
        environment: "PRODUCTION",
        pushType: "alert",
        message: "{}",
        audience: '{"all":true}',
      },
    })
  ).id;

const statusOf = async (id: string) =>
  (await t.db.campaign.findUniqueOrThrow({ where: { id } })).status;

describe(`campaign status machine on ${testProvider()}`, () => {
  it("the table names the moves of docs/architecture.md", () => {
    expect(
      TRANSITION_NAMES.map((n) => [
        n,
        [...CAMPAIGN_TRANSITIONS[n].from],
        CAMPAIGN_TRANSITIONS[n].to,
      ]),
    ).toEqual([
      ["schedule", ["DRAFT"], "SCHEDULED"],
      ["unschedule", ["SCHEDULED"], "DRAFT"],
      ["start", ["SCHEDULED"], "SENDING"],
      ["pause", ["SCHEDULED", "SENDING"], "PAUSED"],
      ["resume", ["PAUSED"], "SENDING"],
      ["complete", ["SENDING"], "COMPLETED"],
      ["cancel", ["SCHEDULED", "SENDING", "PAUSED"], "CANCELLED"],
      ["fail", ["SENDING"], "FAILED"],
    ]);
    // Nothing leaves a final state.
    for (const final of ["COMPLETED", "CANCELLED", "FAILED"] as const)
      expect(TRANSITION_NAMES.filter((n) => canTransition(final, n))).toEqual([]);
  });

  it("says in words why a move is illegal", () => {
    expect(() => transition({ status: "COMPLETED" }, "schedule")).toThrow(
      "A completed campaign cannot be scheduled: only a draft one can.",
    );
    expect(() => transition({ status: "DRAFT" }, "cancel")).toThrow(
      "A draft campaign cannot be cancelled: only a scheduled, sending or paused one can.",
    );
  });

  for (const from of CAMPAIGN_STATUSES)
    for (const name of TRANSITION_NAMES) {
      const legal = canTransition(from, name);
      it(`${name} from ${from} is ${legal ? "applied" : "refused with CONFLICT, nothing changed"}`, async () => {
        const id = await campaignIn(from);
        const move = t.db.$transaction((tx) => moveCampaign(tx, id, name));
        if (legal) {
          await expect(move).resolves.toBe(CAMPAIGN_TRANSITIONS[name].to);
          expect(await statusOf(id)).toBe(CAMPAIGN_TRANSITIONS[name].to);
        } else {
          const error = await move.catch((e: unknown) => e);
          expect(isAppError(error) && error.code).toBe("CONFLICT");
          expect((error as Error).message).toMatch(/campaign cannot be/);
          expect(await statusOf(id)).toBe(from);
        }
      });
    }

  // Moves after which the other is illegal: a lost race must not be applied on top of the winner
  // (start then cancel, by contrast, is a legal sequence and may both succeed).
  for (const pair of [
    ["cancel", "unschedule"],
    ["start", "unschedule"],
    ["cancel", "cancel"],
  ] as const)
    it(`of concurrent ${pair.join(" and ")} on a scheduled campaign, exactly one wins`, async () => {
      for (let round = 0; round < 5; round++) {
        const id = await campaignIn("SCHEDULED");
        const results = await Promise.allSettled(
          pair.map((name) => t.db.$transaction((tx) => moveCampaign(tx, id, name))),
        );
        const won = results.filter((r) => r.status === "fulfilled");
        expect(won).toHaveLength(1);
        const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect(lost.reason).toMatchObject({ code: "CONFLICT" });
        expect(await statusOf(id)).toBe((won[0] as PromiseFulfilledResult<string>).value);
      }
    });

  it("an extra condition that no longer holds is a CONFLICT, and an unknown id NOT_FOUND", async () => {
    const id = await campaignIn("DRAFT");
    await expect(
      t.db.$transaction((tx) =>
        moveCampaign(tx, id, "schedule", { where: { updatedAt: new Date(0) } }),
      ),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/changed/) });
    expect(await statusOf(id)).toBe("DRAFT");
    await expect(
      t.db.$transaction((tx) => moveCampaign(tx, "nope", "schedule")),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
