import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import type { ElectionResult } from "./count";
import { storedTally } from "~/voting/tally";

const { committeeElections, proposals } = schema;

/** One bar of the archive's charts: a closed vote's shares, in hundredths of a percent (integers). */
export interface Shares {
  agree: number;
  oppose: number;
  abstain: number;
  none: number;
}

function shares(agree: number, oppose: number, abstain: number, total: number): Shares {
  if (total <= 0) return { agree: 0, oppose: 0, abstain: 0, none: 10_000 };
  const part = (n: number) => Math.floor((n * 10_000) / total);
  const a = part(agree);
  const o = part(oppose);
  const b = part(abstain);
  return { agree: a, oppose: o, abstain: b, none: 10_000 - a - o - b };
}

export type ArchiveItem =
  | {
      kind: "proposal";
      id: string;
      title: string;
      status: string;
      closedAt: string;
      queryEndsAt: string | null;
      passed: boolean;
      byArea: Shares;
      byHead: Shares;
    }
  | {
      kind: "election";
      id: string;
      title: string;
      status: string;
      closedAt: string;
      queryEndsAt: string | null;
      elected: number;
      ballots: number;
      voters: number;
    };

/**
 * The owners' archive (DESIGN.md "After close"): every closed vote and election of the estate,
 * from the preliminary result on, newest first, with the figures its charts draw. Nothing of a
 * vote still open is read (the status filter), so nothing sealed can leave through it.
 */
export async function voteArchive(estateId: string): Promise<ArchiveItem[]> {
  const db = getDb();
  const [ps, es] = await Promise.all([
    db
      .select()
      .from(proposals)
      .where(and(eq(proposals.estateId, estateId), inArray(proposals.status, ["closed", "published", "carried_out"])))
      .orderBy(desc(proposals.closedAt)),
    db
      .select()
      .from(committeeElections)
      .where(
        and(eq(committeeElections.estateId, estateId), inArray(committeeElections.status, ["closed", "published"])),
      )
      .orderBy(desc(committeeElections.closedAt)),
  ]);
  const items: ArchiveItem[] = [
    ...ps
      .filter((p) => p.result && p.closedAt)
      .map((p) => {
        const r = storedTally(p.matter, p.result);
        return {
          kind: "proposal" as const,
          id: p.id,
          title: p.title,
          status: p.status,
          closedAt: p.closedAt!.toISOString(),
          queryEndsAt: p.queryEndsAt?.toISOString() ?? null,
          passed: r.passed,
          byArea: shares(r.agreeArea, r.opposeArea, r.abstainArea, r.totalArea),
          byHead: shares(r.agreeHeadcount, r.opposeHeadcount, r.abstainHeadcount, r.totalHeadcount),
        };
      }),
    ...es
      .filter((e) => e.result && e.closedAt)
      .map((e) => {
        const r = e.result as ElectionResult;
        return {
          kind: "election" as const,
          id: e.id,
          title: e.title,
          status: e.status,
          closedAt: e.closedAt!.toISOString(),
          queryEndsAt: e.queryEndsAt?.toISOString() ?? null,
          elected: r.races.reduce((n, race) => n + race.elected.length, 0),
          ballots: r.ballots,
          voters: r.voters,
        };
      }),
  ];
  return items.sort((a, b) => (a.closedAt < b.closedAt ? 1 : -1));
}
