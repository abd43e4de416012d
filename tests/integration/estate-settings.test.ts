import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { estateSettings, procedureDefaults } from "../../app/estates/procedure";
import * as route from "../../app/routes/e.$estate.settings";
import { call, expectStatus, makeEstate, makeUser, refusalOf } from "../fixtures";
import { votingEstate } from "./voting-helpers";

/** The estate's rules as the app reads them (stored values, missing keys filled with defaults). */
const settingsOf = async (estateId: string) =>
  estateSettings(
    (
      await getDb()
        .select({ settings: schema.estates.settings })
        .from(schema.estates)
        .where(eq(schema.estates.id, estateId))
    )[0].settings,
  );

function rulesForm(fields: {
  kinds?: string[];
  changeable?: string;
  conflict?: string;
  ballotList?: string;
  zoneVoting?: string;
  proxyCap?: string;
  spoiled?: string;
  coOwners?: string;
  noticeDays?: string;
  queryPeriod?: string;
}) {
  const form = new FormData();
  for (const k of fields.kinds ?? []) form.append("votingUnitKinds", k);
  if (fields.changeable) form.set("ballotsChangeable", fields.changeable);
  if (fields.conflict) form.set("paperOnlineConflict", fields.conflict);
  form.set("ballotListAccess", fields.ballotList ?? "verified_owners");
  form.set("electionZoneVoting", fields.zoneVoting ?? "all");
  form.set("proxyCap", fields.proxyCap ?? "5");
  form.set("spoiledTakesPart", fields.spoiled ?? "yes");
  form.set("coOwnersNameOne", fields.coOwners ?? "no");
  form.set("voteNoticeDays", fields.noticeDays ?? "15");
  form.set("queryPeriodDays", fields.queryPeriod ?? "7");
  return form;
}

async function setup() {
  const estate = await makeEstate();
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
  const committee = await makeUser([{ role: "committee", estateId: estate.id }]);
  const url = `/e/${estate.slug}/settings`;
  return { estate, admin, committee, url, params: { estate: estate.slug } };
}

describe("estate voting rules", () => {
  it("the community admin saves them; the estate's settings change", async () => {
    const { estate, admin, url, params } = await setup();
    expect(estateSettings(await settingsOf(estate.id))).toEqual(procedureDefaults);
    await expectStatus(
      route.action,
      {
        url,
        params,
        user: admin,
        form: rulesForm({
          kinds: ["storage", "residential"],
          changeable: "no",
          conflict: "paper",
          ballotList: "committee",
          zoneVoting: "own",
          proxyCap: "3",
          spoiled: "no",
          coOwners: "yes",
          noticeDays: "20",
          queryPeriod: "10",
        }),
      },
      302,
    );
    const rules = {
      votingUnitKinds: ["residential", "storage"],
      ballotsChangeable: false,
      paperOnlineConflict: "paper",
      ballotListAccess: "committee",
      electionZoneVoting: "own",
      proxyCap: 3,
      spoiledTakesPart: false,
      coOwnersNameOne: true,
      voteNoticeDays: 20,
      queryPeriodDays: 10,
    };
    expect(await settingsOf(estate.id)).toEqual(rules);
    const audit = await getDb().select().from(schema.auditEvents).where(eq(schema.auditEvents.estateId, estate.id));
    expect(audit.map((a) => [a.act, a.subjectId, a.actorUserId, a.detail])).toEqual([
      ["voting_rules_change", estate.id, admin.id, rules],
    ]);
  });

  it("refuses rules that leave homes out, or leave a choice unmade, and changes nothing", async () => {
    const { estate, admin, url, params } = await setup();
    const cases: [Parameters<typeof rulesForm>[0], string][] = [
      [{ kinds: ["parking"], changeable: "yes", conflict: "online" }, "estate.settings.errors.residential"],
      [{ kinds: ["residential"], conflict: "online" }, "estate.settings.errors.changeable"],
      [{ kinds: ["residential"], changeable: "yes" }, "estate.settings.errors.conflict"],
      [{ kinds: ["residential", "garden"], changeable: "yes", conflict: "online" }, "common.errors.invalid"],
      [
        { kinds: ["residential"], changeable: "yes", conflict: "online", proxyCap: "0" },
        "estate.settings.errors.proxyCap",
      ],
      [
        { kinds: ["residential"], changeable: "yes", conflict: "online", proxyCap: "21" },
        "estate.settings.errors.proxyCap",
      ],
      // The law's 15 days' notice is a floor: 14 is refused, as is no number at all.
      [
        { kinds: ["residential"], changeable: "yes", conflict: "online", noticeDays: "14" },
        "estate.settings.errors.voteNoticeDays",
      ],
      [
        { kinds: ["residential"], changeable: "yes", conflict: "online", noticeDays: "" },
        "estate.settings.errors.voteNoticeDays",
      ],
    ];
    for (const [fields, error] of cases) {
      const result = await expectStatus(route.action, { url, params, user: admin, form: rulesForm(fields) }, 400);
      expect(refusalOf(result).error).toBe(error);
    }
    expect(estateSettings(await settingsOf(estate.id))).toEqual(procedureDefaults);
    expect(await getDb().select().from(schema.auditEvents).where(eq(schema.auditEvents.estateId, estate.id))).toEqual(
      [],
    );
  });

  it("the committee reads them but cannot change them; owners are refused", async () => {
    const { estate, committee, url, params } = await setup();
    const page = (await call(route.loader, { url, params, user: committee })) as { canEdit: boolean; rules: unknown };
    expect(page.canEdit).toBe(false);
    expect(page.rules).toEqual(procedureDefaults);
    await expectStatus(
      route.action,
      {
        url,
        params,
        user: committee,
        form: rulesForm({ kinds: ["residential"], changeable: "no", conflict: "online" }),
      },
      403,
    );
    const owner = await makeUser([{ role: "owner", estateId: estate.id }]);
    await expectStatus(route.loader, { url, params, user: owner }, 403);
    expect(estateSettings(await settingsOf(estate.id))).toEqual(procedureDefaults);
  });

  it("a vote already open keeps the rules it opened with", async () => {
    const { estate, proposalId } = await votingEstate([{ building: "1幢", number: "101", owners: [{ name: "甲" }] }]);
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    const before = (
      await getDb()
        .select({ rules: schema.proposals.rules })
        .from(schema.proposals)
        .where(eq(schema.proposals.id, proposalId))
    )[0].rules;
    await expectStatus(
      route.action,
      {
        url: `/e/${estate.slug}/settings`,
        params: { estate: estate.slug },
        user: admin,
        form: rulesForm({ kinds: ["residential"], changeable: "no", conflict: "paper" }),
      },
      302,
    );
    const after = (
      await getDb()
        .select({ rules: schema.proposals.rules })
        .from(schema.proposals)
        .where(eq(schema.proposals.id, proposalId))
    )[0].rules;
    expect(after).toEqual(before);
    expect(after?.ballotsChangeable).toBe(true);
  });
});
