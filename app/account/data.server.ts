import { and, asc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";

const {
  auditEvents,
  ballots,
  bills,
  buildings,
  claimRequests,
  committeeElections,
  committeeMembers,
  communities,
  electionBallots,
  electionCandidates,
  electionMarks,
  estates,
  inquiries,
  memberships,
  notificationPreferences,
  notifications,
  owners,
  ownerships,
  payments,
  petitionSignatures,
  proposalComments,
  proposals,
  proxies,
  residents,
  roleDeclarations,
  sessions,
  ticketEvents,
  tickets,
  units,
  users,
} = schema;

/**
 * Everything the platform holds about one account, for the owner's download (PIPL Art. 45).
 * Only the caller's own rows and the shared records about their units; never another person's
 * name, phone or email (co-owners, proxies, staff and committee members appear as nothing more
 * than a role). Ids of other people are left out too.
 */
export async function personalData(userId: string, now = new Date()) {
  const db = getDb();
  const [account] = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      phone: users.phone,
      locale: users.locale,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) return null;

  const unitLabel = { estate: estates.name, building: buildings.name, number: units.number };
  const myOwners = await db
    .select({
      id: owners.id,
      estate: estates.name,
      name: owners.name,
      phone: owners.phone,
      registerRef: owners.registerRef,
      /** The roster keeps only the ID number's last 4 characters (and a keyed hash): that is all there is to give. */
      idTail: owners.idTail,
      claimedAt: owners.claimedAt,
    })
    .from(owners)
    .innerJoin(estates, eq(estates.id, owners.estateId))
    .where(eq(owners.userId, userId));
  const ownerIds = myOwners.map((o) => o.id);
  const ownedUnits = ownerIds.length
    ? await db
        .selectDistinct({
          unitId: units.id,
          ...unitLabel,
          floor: units.floor,
          kind: units.kind,
          areaCentiSqm: units.areaCentiSqm,
        })
        .from(ownerships)
        .innerJoin(units, eq(units.id, ownerships.unitId))
        .innerJoin(buildings, eq(buildings.id, units.buildingId))
        .innerJoin(estates, eq(estates.id, units.estateId))
        .where(inArray(ownerships.ownerId, ownerIds))
    : [];
  const unitIds = ownedUnits.map((u) => u.unitId);

  const [
    roleRows,
    claimRows,
    residentRows,
    ballotRows,
    proxyRows,
    petitionRows,
    commentRows,
    ticketRows,
    ticketComments,
    billRows,
    paymentRows,
    preferenceRows,
    noticeRows,
    sessionRows,
    auditRows,
    seatRows,
    declarationRows,
    candidacyRows,
    inquiryRows,
  ] = await Promise.all([
    db
      .select({
        role: memberships.role,
        estate: estates.name,
        community: communities.name,
        since: memberships.createdAt,
      })
      .from(memberships)
      .leftJoin(estates, eq(estates.id, memberships.estateId))
      .leftJoin(communities, eq(communities.id, memberships.communityId))
      .where(eq(memberships.userId, userId)),
    db
      .select({
        ...unitLabel,
        nameGiven: claimRequests.nameGiven,
        status: claimRequests.status,
        reason: claimRequests.reason,
        createdAt: claimRequests.createdAt,
        decidedAt: claimRequests.decidedAt,
      })
      .from(claimRequests)
      .innerJoin(units, eq(units.id, claimRequests.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .innerJoin(estates, eq(estates.id, claimRequests.estateId))
      .where(eq(claimRequests.userId, userId)),
    db
      .select({ ...unitLabel, relation: residents.relation, since: residents.createdAt })
      .from(residents)
      .innerJoin(units, eq(units.id, residents.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .innerJoin(estates, eq(estates.id, residents.estateId))
      .where(eq(residents.userId, userId)),
    // Ballots this account cast online or as a proxy. A paper ballot a committee member confirmed
    // is the paper voter's, not the member's, so it is not theirs to download.
    db
      .select({
        proposal: proposals.title,
        choice: ballots.choice,
        channel: ballots.channel,
        receipt: ballots.receipt,
        castAt: ballots.castAt,
        superseded: ballots.superseded,
      })
      .from(ballots)
      .innerJoin(proposals, eq(proposals.id, ballots.proposalId))
      .where(and(eq(ballots.castBy, userId), ne(ballots.channel, "paper")))
      .orderBy(asc(ballots.castAt)),
    db
      .select({
        proposal: proposals.title,
        election: committeeElections.title,
        role: sql<"grantor" | "proxy">`case when ${proxies.grantorUserId} = ${userId} then 'grantor' else 'proxy' end`,
        status: proxies.status,
        createdAt: proxies.createdAt,
        decidedAt: proxies.decidedAt,
      })
      .from(proxies)
      .leftJoin(proposals, eq(proposals.id, proxies.proposalId))
      .leftJoin(committeeElections, eq(committeeElections.id, proxies.electionId))
      .where(or(eq(proxies.grantorUserId, userId), eq(proxies.proxyUserId, userId))),
    db
      .select({ petitionId: petitionSignatures.petitionId, signedAt: petitionSignatures.signedAt })
      .from(petitionSignatures)
      .where(eq(petitionSignatures.userId, userId)),
    db
      .select({ proposal: proposals.title, body: proposalComments.body, createdAt: proposalComments.createdAt })
      .from(proposalComments)
      .innerJoin(proposals, eq(proposals.id, proposalComments.proposalId))
      .where(eq(proposalComments.userId, userId)),
    db
      .select({
        seq: tickets.seq,
        estate: estates.name,
        category: tickets.category,
        place: tickets.place,
        description: tickets.description,
        status: tickets.status,
        createdAt: tickets.createdAt,
      })
      .from(tickets)
      .innerJoin(estates, eq(estates.id, tickets.estateId))
      .where(eq(tickets.filerId, userId)),
    db
      .select({ ticketSeq: tickets.seq, kind: ticketEvents.kind, body: ticketEvents.body, at: ticketEvents.at })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(eq(ticketEvents.actorId, userId)),
    unitIds.length
      ? db
          .select({
            building: buildings.name,
            number: units.number,
            period: bills.periodKey,
            charge: bills.charge,
            amountFen: bills.amountFen,
            dueDate: bills.dueDate,
            status: bills.status,
            paidAt: bills.paidAt,
          })
          .from(bills)
          .innerJoin(units, eq(units.id, bills.unitId))
          .innerJoin(buildings, eq(buildings.id, units.buildingId))
          .where(inArray(bills.unitId, unitIds))
          .orderBy(asc(bills.periodKey))
      : Promise.resolve([]),
    // Payments this account made, and payments of its units' bills (made by anyone: they are the unit's record).
    db
      .selectDistinct({
        receiptNo: payments.receiptNo,
        method: payments.method,
        amountFen: payments.amountFen,
        refundedFen: payments.refundedFen,
        paidAt: payments.paidAt,
      })
      .from(payments)
      .where(
        unitIds.length
          ? or(
              eq(payments.payerUserId, userId),
              inArray(
                payments.id,
                db
                  .select({ id: sql`${bills.paymentId}` })
                  .from(bills)
                  .where(and(inArray(bills.unitId, unitIds), isNotNull(bills.paymentId))),
              ),
            )
          : eq(payments.payerUserId, userId),
      ),
    db
      .select({ category: notificationPreferences.category, email: notificationPreferences.email })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId)),
    db
      .select({
        category: notifications.category,
        template: notifications.template,
        props: notifications.props,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(eq(notifications.userId, userId)),
    db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, userId)),
    db
      .select({
        estateId: auditEvents.estateId,
        act: auditEvents.act,
        subjectType: auditEvents.subjectType,
        createdAt: auditEvents.createdAt,
        byMe: sql<boolean>`${auditEvents.actorUserId} = ${userId}`,
      })
      .from(auditEvents)
      .where(
        or(
          eq(auditEvents.actorUserId, userId),
          and(eq(auditEvents.subjectType, "user"), eq(auditEvents.subjectId, userId)),
        ),
      ),
    db
      .select({
        estate: estates.name,
        seat: committeeMembers.seat,
        office: committeeMembers.office,
        seatedAt: committeeMembers.seatedAt,
        leftAt: committeeMembers.leftAt,
      })
      .from(committeeMembers)
      .innerJoin(estates, eq(estates.id, committeeMembers.estateId))
      .where(eq(committeeMembers.userId, userId)),
    db
      .select({
        role: roleDeclarations.role,
        title: roleDeclarations.title,
        proofNote: roleDeclarations.proofNote,
        status: roleDeclarations.status,
        createdAt: roleDeclarations.createdAt,
      })
      .from(roleDeclarations)
      .where(eq(roleDeclarations.userId, userId)),
    db
      .select({
        seat: electionCandidates.seat,
        statement: electionCandidates.statement,
        status: electionCandidates.status,
        createdAt: electionCandidates.createdAt,
      })
      .from(electionCandidates)
      .where(eq(electionCandidates.userId, userId)),
    db
      .select({ body: inquiries.body, createdAt: inquiries.createdAt, answeredAt: inquiries.answeredAt })
      .from(inquiries)
      .where(eq(inquiries.userId, userId)),
  ]);

  // Committee election ballots cast online or as a proxy, with each mark. Candidates stand in
  // public (their names are on every owner's ballot), so a mark names its candidate.
  const electionRows = await db
    .select({
      id: electionBallots.id,
      election: committeeElections.title,
      receipt: electionBallots.receipt,
      castAt: electionBallots.castAt,
      replacedAt: electionBallots.replacedAt,
    })
    .from(electionBallots)
    .innerJoin(committeeElections, eq(committeeElections.id, electionBallots.electionId))
    .where(and(eq(electionBallots.castBy, userId), ne(electionBallots.channel, "paper")))
    .orderBy(asc(electionBallots.castAt));
  const marks = electionRows.length
    ? await db
        .select({
          ballotId: electionMarks.ballotId,
          candidate: electionCandidates.name,
          seat: electionCandidates.seat,
          choice: electionMarks.choice,
        })
        .from(electionMarks)
        .innerJoin(electionCandidates, eq(electionCandidates.id, electionMarks.candidateId))
        .where(
          inArray(
            electionMarks.ballotId,
            electionRows.map((b) => b.id),
          ),
        )
    : [];

  return {
    exportedAt: now.toISOString(),
    account,
    roles: roleRows,
    rosterEntries: myOwners.map(({ id: _id, ...o }) => o),
    units: ownedUnits.map(({ unitId: _u, ...u }) => u),
    claimRequests: claimRows,
    residentLinks: residentRows,
    ballots: ballotRows,
    electionBallots: electionRows.map(({ id, ...b }) => ({
      ...b,
      marks: marks.filter((m) => m.ballotId === id).map(({ ballotId: _b, ...m }) => m),
    })),
    proxies: proxyRows,
    petitionSignatures: petitionRows,
    proposalComments: commentRows,
    tickets: ticketRows,
    ticketComments: ticketComments,
    bills: billRows,
    payments: paymentRows,
    notificationPreferences: preferenceRows,
    notices: noticeRows,
    sessions: sessionRows,
    auditEvents: auditRows,
    committeeSeats: seatRows,
    roleDeclarations: declarationRows,
    candidacies: candidacyRows,
    inquiries: inquiryRows,
  };
}
