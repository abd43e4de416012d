/**
 * Zones as an admin types them, one per line: "东区: 1幢, 2幢, 3幢" — a name, a colon, the
 * buildings (separated by commas, 、 or spaces) and, optionally, "= 3" for the zone's seats
 * (needed only to settle a tie the apportionment reported). Full-width ：，＝ work too.
 */
export interface ZoneLine {
  name: string;
  buildingIds: string[];
  seats: number | null;
}

export type ZoneParse =
  { ok: true; zones: ZoneLine[] } | { ok: false; error: "zoneLine" | "buildingUnknown"; line: number; text: string };

export function parseZoneLines(text: string, buildings: readonly { id: string; name: string }[]): ZoneParse {
  const byName = new Map(buildings.map((b) => [b.name, b.id]));
  const zones: ZoneLine[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([^:：]+)[:：]([^=＝]*)(?:[=＝]\s*(\d+))?\s*$/.exec(line);
    if (!m) return { ok: false, error: "zoneLine", line: i + 1, text: line };
    const name = m[1].trim();
    const names = m[2]
      .split(/[,，、\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!name || names.length === 0) return { ok: false, error: "zoneLine", line: i + 1, text: line };
    const ids: string[] = [];
    for (const n of names) {
      const id = byName.get(n);
      if (!id) return { ok: false, error: "buildingUnknown", line: i + 1, text: n };
      ids.push(id);
    }
    zones.push({ name, buildingIds: ids, seats: m[3] === undefined ? null : Number(m[3]) });
  }
  return { ok: true, zones };
}

/** One zone per building: the starting text of the form. */
export function defaultZoneText(buildings: readonly { name: string }[]): string {
  return buildings.map((b) => `${b.name}: ${b.name}`).join("\n");
}
