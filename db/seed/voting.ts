import { postVoteNotice } from "../../app/voting/notice.server";
import { and, eq } from "drizzle-orm";
import { getDb, schema, type Db } from "#db/client";
import { draftProposal, openComment, openVoting } from "~/voting/proposals.server";

const day = 86_400_000;

/**
 * The demo estate's proposals, made through the same commands as the site: one vote running
 * (a newcomer can cast, change and see a receipt) and one proposal open for comment.
 * The commands use the process's database handle, which must be `db`.
 */
export async function seedDemoVotes(db: Db, estateSlug: string, committeeEmail: string, now = new Date()) {
  if (getDb() !== db) throw new Error("seedDemoVotes: register the database handle with setDb() first");
  const [estate] = await db.select().from(schema.estates).where(eq(schema.estates.slug, estateSlug));
  const [member] = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .innerJoin(
      schema.memberships,
      and(
        eq(schema.memberships.userId, schema.users.id),
        eq(schema.memberships.estateId, estate.id),
        eq(schema.memberships.role, "committee"),
      ),
    )
    .where(eq(schema.users.email, committeeEmail));
  const at = (days: number) => new Date(now.getTime() + days * day);
  const renewal = await draftProposal({
    estateId: estate.id,
    userId: member.id,
    title: "续聘苏州宜居物业服务有限公司（2027—2029年）",
    body: [
      "业委会提议续聘苏州宜居物业服务有限公司，合同期三年，物业费标准不变（住宅每月每平方米 1.80 元）。",
      "",
      "**理由**",
      "",
      "- 2026 年物业费收缴率 82%，报修按时响应率 95%；",
      "- 业主满意度调查平均 4.3 分（满分 5 分）；",
      "- 新合同增加：每季度公开服务报告，报修超时自动提交业委会。",
      "",
      "合同草案见附件。投票截止前可以更改选择，以最后一次为准。",
    ].join("\n"),
    type: "property_company",
    commentEndsAt: at(-1),
    votingStartsAt: at(-1),
    votingEndsAt: at(14),
    now: at(-16),
  });
  if (!renewal.ok) throw new Error(renewal.error);
  await openComment({ estateId: estate.id, proposalId: renewal.id, userId: member.id, now: at(-16) });
  // The vote notice ran its 15 days before voting opened (物业管理条例 Art. 14).
  const noticed = await postVoteNotice({
    estateId: estate.id,
    ref: { kind: "proposal", id: renewal.id },
    userId: member.id,
    votingStartsAt: at(-1),
    votingEndsAt: at(14),
    now: at(-16),
  });
  if (!noticed.ok) throw new Error(noticed.error);
  const opened = await openVoting({ estateId: estate.id, proposalId: renewal.id, userId: member.id, now: at(-1) });
  if (!opened.ok) throw new Error(opened.error);

  const lift = await draftProposal({
    estateId: estate.id,
    userId: member.id,
    title: "3幢、5幢加装电梯并使用维修资金分摊",
    body: "拟在 3 幢、5 幢各加装一部电梯，费用按楼层分摊。属于改建、重建建筑物及其附属设施，须经四分之三以上同意。欢迎业主在征求意见期内发表意见。",
    type: "rebuild_renovate",
    commentEndsAt: at(12),
    votingStartsAt: at(15),
    votingEndsAt: at(29),
    now: at(-2),
  });
  if (!lift.ok) throw new Error(lift.error);
  await openComment({ estateId: estate.id, proposalId: lift.id, userId: member.id, now: at(-2) });
  return { renewalId: renewal.id, liftId: lift.id };
}
