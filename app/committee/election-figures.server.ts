import { inArray } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import type { T } from "~/voting/result-notices.server";
import { maskName } from "~/ui/mask";
import type { ElectionResult } from "./count";

const { electionCandidates, committeeZones } = schema;

/** An election's result in the words of its board notices: the elected by race (names masked), and whether a committee is formed. */
export async function electionFigures(tx: Queryable, t: T, result: ElectionResult): Promise<string[]> {
  const ids = result.races.flatMap((r) => r.elected);
  const zoneIds = result.races.filter((r) => r.race !== "X").map((r) => r.race);
  const [people, zones] = await Promise.all([
    ids.length
      ? tx
          .select({ id: electionCandidates.id, name: electionCandidates.name })
          .from(electionCandidates)
          .where(inArray(electionCandidates.id, ids))
      : [],
    zoneIds.length
      ? tx
          .select({ id: committeeZones.id, name: committeeZones.name })
          .from(committeeZones)
          .where(inArray(committeeZones.id, zoneIds))
      : [],
  ]);
  const nameOf = new Map(people.map((p) => [p.id, maskName(p.name)]));
  const lines = result.races.map((r) => {
    const race = r.race === "X" ? t("results.notice.raceX") : (zones.find((z) => z.id === r.race)?.name ?? r.race);
    const elected = r.elected.map((id) => nameOf.get(id) ?? "—").join("、") || t("results.notice.raceNone");
    const tied = r.tiedSeats ? ` ${t("results.notice.raceTied", { count: r.tiedSeats })}` : "";
    return t("results.notice.race", { race, seats: r.seats, elected }) + tied;
  });
  if (result.constituted !== null)
    lines.push(t(result.constituted ? "results.notice.constituted" : "results.notice.notConstituted"));
  return lines;
}
