import { normaliseName } from "~/roster/identity";

/** A roster owner of one unit, as the claim rules see them. */
export interface RosterOwner {
  id: string;
  name: string;
  /** The account linked to this owner slot, if someone has claimed it. */
  userId: string | null;
}

export type ClaimDecision =
  /** The developer's unsold units belong to no one who can claim them. */
  | { kind: "developerUnsold" }
  /** No owner on the roster for this unit: the roster must be corrected first. */
  | { kind: "noOwners" }
  /** This account already holds an owner slot of this unit. */
  | { kind: "alreadyMine"; ownerId: string }
  /** Every owner slot of the unit is claimed: the code is used up. */
  | { kind: "usedUp" }
  /** The name matches an unclaimed owner slot: link it. */
  | { kind: "link"; ownerId: string }
  /** The name matches only slots that another account claimed. */
  | { kind: "takenByOther" }
  /** No name matches: a committee member or admin decides. */
  | { kind: "request" };

/**
 * What a claim with a valid code and a name does. Codes are single-use per owner slot: each
 * roster owner of the unit can be claimed once, and one account holds at most one slot of a
 * unit (so one spouse cannot take both co-owners' places).
 */
export function decideClaim(
  unit: { developerUnsold: boolean },
  owners: readonly RosterOwner[],
  claimant: { userId: string; name: string },
): ClaimDecision {
  if (unit.developerUnsold) return { kind: "developerUnsold" };
  if (owners.length === 0) return { kind: "noOwners" };
  const mine = owners.find((o) => o.userId === claimant.userId);
  if (mine) return { kind: "alreadyMine", ownerId: mine.id };
  const unclaimed = owners.filter((o) => o.userId === null);
  if (unclaimed.length === 0) return { kind: "usedUp" };
  const name = normaliseName(claimant.name);
  if (!name) return { kind: "request" };
  const match = unclaimed.find((o) => normaliseName(o.name) === name);
  if (match) return { kind: "link", ownerId: match.id };
  if (owners.some((o) => normaliseName(o.name) === name)) return { kind: "takenByOther" };
  return { kind: "request" };
}

/**
 * Whether a committee member may approve a request as the given owner slot: it must be an
 * unclaimed owner of the request's unit, and the requester must not hold a slot there already.
 */
export function approvalProblem(
  owners: readonly RosterOwner[],
  ownerId: string,
  requesterId: string,
): "notAnOwner" | "ownerTaken" | "alreadyOwner" | null {
  const owner = owners.find((o) => o.id === ownerId);
  if (!owner) return "notAnOwner";
  if (owners.some((o) => o.userId === requesterId)) return "alreadyOwner";
  if (owner.userId !== null) return "ownerTaken";
  return null;
}

/**
 * Four eyes: nobody decides a claim request they made, nor one for a unit they hold an owner
 * slot of (it would seat someone beside them). Another member or admin decides it.
 */
export function deciderConflict(
  owners: readonly RosterOwner[],
  requesterId: string,
  deciderId: string,
): "ownRequest" | "ownUnit" | null {
  if (requesterId === deciderId) return "ownRequest";
  if (owners.some((o) => o.userId === deciderId)) return "ownUnit";
  return null;
}

export const inviteLifetimeMs = 7 * 24 * 60 * 60_000;

export type InviteState = "valid" | "expired" | "used";

/** An invitation link works once, until it expires. */
export function inviteState(invite: { expiresAt: Date; usedAt: Date | null }, now = new Date()): InviteState {
  if (invite.usedAt) return "used";
  if (invite.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/** Minutes left in a lock, never less than one (a "try again in 0 minutes" helps no one). */
export function minutesUntil(until: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
