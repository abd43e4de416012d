import { noticeBefore } from "./voting-helpers";
import { eq, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { setMemberPhoto } from "~/committee/composition.server";
import { action as rolesAction } from "~/routes/e.$estate.committee.roles";
import { action as proposalAction } from "~/routes/e.$estate.proposals.$id._index";
import { action as electionProxiesAction } from "~/routes/e.$estate.committee.elections.$id.proxies";
import { callElection, nominate, openElectionVoting, stand } from "~/committee/elections.server";
import { askQuestion } from "~/committee/inquiries.server";
import { scheduleMeeting } from "~/committee/meetings.server";
import { requireMeeting } from "~/committee/requisitions.server";
import { previewImport } from "~/roster/roster.server";
import { cleanPhotos } from "~/tickets/photos.server";
import { fileTicket } from "~/tickets/tickets.server";
import { closeVoting, draftProposal, openComment, openVoting } from "~/voting/proposals.server";
import { call, makeUser, statusOf } from "../fixtures";
import { plainJpeg } from "../ticket-photos";
import { committeeEstate, day } from "./committee-helpers";

/**
 * One estate holding one object of every kind that a URL or a form addresses by id, made
 * through the feature commands where they are short to call. `probe` holds every estate role
 * (owner, resident, committee, staff) and is the community admin, so every guard lets it in
 * and only the estate scoping of the lookup can refuse it.
 */
export async function attackWorld(options: { electionInVote?: boolean } = {}) {
  const db = getDb();
  const now = new Date();
  const c = await committeeEstate({ now });
  const { estate } = c;
  const probe = await makeUser(
    [
      { role: "owner", estateId: estate.id },
      { role: "resident", estateId: estate.id },
      { role: "committee", estateId: estate.id },
      { role: "property_staff", estateId: estate.id },
      { role: "community_admin", communityId: estate.communityId },
    ],
    "探针",
  );
  const chair = c.members[0];
  // The unit of `owner` (1幢 105): tickets and claims are about it.
  const [unit] = await db
    .select({ id: schema.units.id })
    .from(schema.units)
    .innerJoin(schema.ownerships, sql`${schema.ownerships.unitId} = ${schema.units.id}`)
    .innerJoin(schema.owners, sql`${schema.owners.id} = ${schema.ownerships.ownerId}`)
    .where(sql`${schema.owners.userId} = ${c.owner.id}`);

  // A member photo and a role declaration with its proof, through their commands (the file store holds the bytes).
  const photoSet = await setMemberPhoto({
    estateId: estate.id,
    userId: c.admin.id,
    isAdmin: true,
    memberId: c.memberIds[0],
    file: new File([plainJpeg], "头像.jpg", { type: "image/jpeg" }),
  });
  if (!photoSet.ok) throw new Error(`setMemberPhoto: ${photoSet.error}`);
  const declaration = new FormData();
  declaration.append("intent", "declare");
  declaration.append("role", "npc");
  declaration.append("title", "区人大代表");
  declaration.append("proofNote", "代表证");
  declaration.append("proof", new File([plainJpeg], "代表证.jpg", { type: "image/jpeg" }));
  const declared = await call(rolesAction, {
    url: `/e/${estate.slug}/committee/roles`,
    params: { estate: estate.slug },
    user: c.owner,
    form: declaration,
  });
  if (statusOf(declared) >= 400) throw new Error(`declare: ${JSON.stringify(declared)}`);
  const [declarationRow] = await db
    .select()
    .from(schema.roleDeclarations)
    .where(sql`${schema.roleDeclarations.userId} = ${c.owner.id}`);

  const meeting = await scheduleMeeting({
    estateId: estate.id,
    userId: chair.id,
    title: "例会",
    kind: "regular",
    scheduledAt: new Date(now.getTime() + 8 * day),
    place: "会议室",
    agenda: [{ kind: "motion", title: "续聘物业" }],
    now,
  });
  if (!meeting.ok) throw new Error(`scheduleMeeting: ${meeting.error}`);
  const asked = await askQuestion({
    estateId: estate.id,
    subject: { kind: "maintenance_fund" },
    userId: c.owner.id,
    body: "维修资金余额多少？",
  });
  if (!asked.ok) throw new Error(`askQuestion: ${asked.error}`);
  const requisition = await requireMeeting({
    estateId: estate.id,
    userId: c.members[4].id,
    subject: "讨论电梯维修",
    now,
  });
  if (!requisition.ok) throw new Error(`requireMeeting: ${requisition.error}`);

  // One election at a time: still taking candidates, or (electionInVote) already in its vote.
  const formingElection = async () => {
    const election = await callElection({
      estateId: estate.id,
      userId: c.admin.id,
      title: "第二届业主委员会选举",
      size: 5,
      xSeats: 0,
      zones: [{ name: "全体", buildingIds: Object.values(c.buildings), seats: 5 }],
      nominationThreshold: 1,
      termMonths: 60,
      nominationEndsAt: new Date(now.getTime() + 10 * day),
      votingStartsAt: new Date(now.getTime() + 11 * day),
      votingEndsAt: new Date(now.getTime() + 20 * day),
      now,
    });
    if (!election.ok) throw new Error(`callElection: ${election.error}`);
    const [race] = await db
      .select()
      .from(schema.electionRaces)
      .where(sql`${schema.electionRaces.electionId} = ${election.id} and ${schema.electionRaces.zoneId} is not null`);
    const stood = await stand({
      estateId: estate.id,
      electionId: election.id,
      userId: c.owner.id,
      seat: "N",
      zoneId: race.zoneId,
      statement: "服务业主",
      now,
    });
    if (!stood.ok) throw new Error(`stand: ${stood.error}`);
    return { electionId: election.id, candidateId: stood.id, electionFileId: "" };
  };
  // In its vote (ledger, paper ballots, proxies), with a proxy scan on file.
  const votingElection = async () => {
    const t0 = new Date(now.getTime() - 10 * day);
    const voting = await callElection({
      estateId: estate.id,
      userId: c.admin.id,
      title: "补选",
      size: 5,
      xSeats: 0,
      zones: [{ name: "全体", buildingIds: Object.values(c.buildings), seats: 5 }],
      nominationThreshold: 1,
      termMonths: 60,
      nominationEndsAt: new Date(t0.getTime() + 2 * day),
      votingStartsAt: new Date(t0.getTime() + 3 * day),
      votingEndsAt: new Date(now.getTime() + 10 * day),
      now: t0,
    });
    if (!voting.ok) throw new Error(`callElection: ${voting.error}`);
    const [votingRace] = await db
      .select()
      .from(schema.electionRaces)
      .where(sql`${schema.electionRaces.electionId} = ${voting.id} and ${schema.electionRaces.zoneId} is not null`);
    const standing = await stand({
      estateId: estate.id,
      electionId: voting.id,
      userId: c.owner.id,
      seat: "N",
      zoneId: votingRace.zoneId,
      statement: "服务业主",
      now: t0,
    });
    if (!standing.ok) throw new Error(`stand: ${standing.error}`);
    const nominated = await nominate({
      estateId: estate.id,
      candidateId: standing.id,
      userId: c.members[3].id,
      now: t0,
    });
    if (!nominated.ok) throw new Error(`nominate: ${nominated.error}`);
    await noticeBefore(estate.id, { kind: "election", id: voting.id }, c.admin.id, new Date(t0.getTime() + 3 * day));
    const openedElection = await openElectionVoting({
      estateId: estate.id,
      electionId: voting.id,
      userId: c.admin.id,
      now: new Date(t0.getTime() + 3 * day),
    });
    if (!openedElection.ok) throw new Error(`openElectionVoting: ${openedElection.error}`);
    const proxyForm = new FormData();
    proxyForm.append("intent", "authorise");
    proxyForm.append("proxyIdentifier", c.members[1].email);
    proxyForm.append("proxyName", "代理人");
    proxyForm.append("file", new File([plainJpeg], "委托书.jpg", { type: "image/jpeg" }));
    const proxied = await call(electionProxiesAction, {
      url: `/e/${estate.slug}/committee/elections/${voting.id}/proxies`,
      params: { estate: estate.slug, id: voting.id },
      user: c.owner,
      form: proxyForm,
    });
    if (statusOf(proxied) >= 400) throw new Error(`election proxy: ${JSON.stringify(proxied)}`);
    const [electionFile] = await db
      .select()
      .from(schema.votingFiles)
      .where(sql`${schema.votingFiles.electionId} = ${voting.id}`);
    return { electionId: voting.id, candidateId: standing.id, electionFileId: electionFile.id };
  };
  const elected = options.electionInVote ? await votingElection() : await formingElection();

  const proposal = await draftProposal({
    estateId: estate.id,
    userId: chair.id,
    title: "续聘物业",
    body: "理由",
    type: "property_company",
    commentEndsAt: new Date(now.getTime() + 3 * day),
    votingStartsAt: new Date(now.getTime() + 3 * day),
    votingEndsAt: new Date(now.getTime() + 20 * day),
    now,
  });
  if (!proposal.ok) throw new Error(`draftProposal: ${proposal.error}`);
  const upload = new FormData();
  upload.append("intent", "upload");
  upload.append("file", new File([plainJpeg], "预算.jpg", { type: "image/jpeg" }));
  const uploaded = await call(proposalAction, {
    url: `/e/${estate.slug}/proposals/${proposal.id}`,
    params: { estate: estate.slug, id: proposal.id },
    user: chair,
    form: upload,
  });
  if (statusOf(uploaded) >= 400) throw new Error(`upload: ${JSON.stringify(uploaded)}`);
  const [file] = await db
    .select()
    .from(schema.votingFiles)
    .where(sql`${schema.votingFiles.proposalId} = ${proposal.id}`);
  const opened = await openComment({ estateId: estate.id, proposalId: proposal.id, userId: chair.id, now });
  if (!opened.ok) throw new Error("openComment");

  // Proposals at the other stages: a draft (edit), one in its vote (paper, proxies, turnout), one closed (result, CSV ledger).
  const staged = async (stage: "draft" | "voting" | "closed") => {
    const t0 = now.getTime() - 3 * day;
    const ends = stage === "closed" ? now.getTime() - 60_000 : now.getTime() + 7 * day;
    const d = await draftProposal({
      estateId: estate.id,
      userId: chair.id,
      title: `议题 ${stage}`,
      body: "理由",
      type: "property_company",
      commentEndsAt: new Date(t0 + day),
      votingStartsAt: new Date(t0 + day),
      votingEndsAt: new Date(ends),
      now: new Date(t0),
    });
    if (!d.ok) throw new Error(`draftProposal: ${d.error}`);
    if (stage === "draft") return d.id;
    if (!(await openComment({ estateId: estate.id, proposalId: d.id, userId: chair.id, now: new Date(t0) })).ok)
      throw new Error("openComment");
    await noticeBefore(estate.id, { kind: "proposal", id: d.id }, chair.id, new Date(t0 + day));
    if (!(await openVoting({ estateId: estate.id, proposalId: d.id, userId: chair.id, now: new Date(t0 + day) })).ok)
      throw new Error("openVoting");
    if (stage === "closed" && !(await closeVoting({ estateId: estate.id, proposalId: d.id, userId: chair.id, now })).ok)
      throw new Error("closeVoting");
    return d.id;
  };
  const draftId = await staged("draft");
  const votingId = await staged("voting");
  const closedId = await staged("closed");

  const photos = await cleanPhotos([new File([plainJpeg], "漏水.jpg", { type: "image/jpeg" })]);
  if (!photos.ok) throw new Error("cleanPhotos");
  const ticket = await fileTicket({
    estateId: estate.id,
    estateSlug: estate.slug,
    userId: c.owner.id,
    roles: ["owner"],
    unitId: unit.id,
    category: "other",
    location: "common",
    description: "楼道灯坏了",
    isPublic: true,
    photos: photos.photos,
  });
  if (!ticket.ok) throw new Error(`fileTicket: ${ticket.error}`);
  const [photo] = await db
    .select()
    .from(schema.ticketPhotos)
    .where(sql`${schema.ticketPhotos.ticketId} = ${ticket.id}`);

  const [payment] = await db
    .insert(schema.payments)
    .values({
      estateId: estate.id,
      receiptNo: `R-${estate.slug}-1`,
      method: "cash",
      amountFen: 10_000,
      paidAt: now,
      recordedBy: probe.id,
      payerUserId: c.owner.id,
    })
    .returning();

  const csv = "楼栋,房号,楼层,类型,面积,业主姓名,手机,产权证号,备注\n9幢,901,9,住宅,90,张三,,,\n";
  const preview = await previewImport({
    estateId: estate.id,
    userId: c.admin.id,
    fileName: "r.csv",
    bytes: new TextEncoder().encode(csv),
  });
  if (!preview.ok) throw new Error(`previewImport: ${JSON.stringify(preview.issues)}`);

  const claimant = await makeUser([], "申请人");
  const [claim] = await db
    .insert(schema.claimRequests)
    .values({ estateId: estate.id, unitId: unit.id, userId: claimant.id, nameGiven: "王五" })
    .returning();

  const sandboxId = `cs_sandbox_${crypto.randomUUID().replace(/-/g, "")}`;
  await db.insert(schema.sandboxSessions).values({
    id: sandboxId,
    estateId: estate.id,
    idempotencyKey: sandboxId,
    clientReferenceId: c.owner.id,
    amountTotal: 10_000,
    currency: "cny",
    lineItems: [{ name: "物业费", amount: 10_000 }],
    metadata: {},
    paymentMethodTypes: ["card"],
    successUrl: `http://localhost/e/${estate.slug}/bills`,
    cancelUrl: `http://localhost/e/${estate.slug}/bills`,
    expiresAt: new Date(now.getTime() + day),
  });

  // The vote notices above are on the estate's notice board.
  const [boardNotice] = await getDb()
    .select({ id: schema.boardNotices.id })
    .from(schema.boardNotices)
    .where(eq(schema.boardNotices.estateId, estate.id))
    .limit(1);

  return {
    ...c,
    probe,
    unitId: unit.id,
    ids: {
      boardNoticeId: boardNotice.id,
      ...elected,
      meetingId: meeting.id,
      inquiryId: asked.id,
      requisitionId: requisition.id,
      memberId: c.memberIds[0],
      declarationId: declarationRow.id,
      proposalId: proposal.id,
      draftId,
      votingId,
      closedId,
      fileId: file.id,
      ticketId: ticket.id,
      photoId: photo.id,
      paymentId: payment.id,
      importId: preview.importId,
      claimId: claim.id,
      sandboxId,
    },
  };
}

export type AttackWorld = Awaited<ReturnType<typeof attackWorld>>;

/**
 * A fingerprint of every table: its rows, hashed. Equal fingerprints before and after an
 * attack mean it inserted, changed and deleted nothing anywhere.
 */
export async function fingerprint(): Promise<Record<string, string>> {
  const db = getDb();
  const tables = (await db.execute(
    sql`select tablename from pg_tables where schemaname = 'public' and tablename not like '__drizzle%' order by 1`,
  )) as unknown as { tablename: string }[];
  const rows = Array.isArray(tables) ? tables : (tables as unknown as { rows: { tablename: string }[] }).rows;
  const query = rows
    .map(
      ({ tablename }) =>
        `select '${tablename}' as t, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h from "${tablename}" x`,
    )
    .join(" union all ");
  const result = (await db.execute(sql.raw(query))) as unknown;
  const list = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { t: string; h: string }[];
  return Object.fromEntries(list.map((r) => [r.t, r.h]));
}
