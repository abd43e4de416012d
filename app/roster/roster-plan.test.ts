import { describe, expect, it } from "vitest";
import type { RosterRow } from "./roster-csv";
import { planImport, type EstateRoster } from "./roster-plan";

const row = (
  building: string,
  unit: string,
  owners: RosterRow["owners"],
  extra: Partial<RosterRow> = {},
): RosterRow => ({
  line: 2,
  building,
  unit,
  floor: 1,
  kind: "residential",
  areaCentiSqm: 9000,
  developerUnsold: false,
  owners,
  ...extra,
});
/** personKey stands for the HMAC of an ID number; its last 4 characters play the ID number's tail. */
const owner = (
  name: string,
  phone: string | null = null,
  personKey: string | null = null,
  registerRef: string | null = null,
) => ({
  name,
  phone,
  registerRef,
  personKey,
  idTail: personKey ? personKey.slice(-4) : null,
});

const roster: EstateRoster = {
  buildings: ["1幢"],
  units: [
    {
      id: "u1",
      building: "1幢",
      number: "101",
      floor: 1,
      kind: "residential",
      areaCentiSqm: 9000,
      developerUnsold: false,
    },
    {
      id: "u2",
      building: "1幢",
      number: "102",
      floor: 1,
      kind: "residential",
      areaCentiSqm: 9000,
      developerUnsold: false,
    },
    {
      id: "u3",
      building: "1幢",
      number: "103",
      floor: 1,
      kind: "residential",
      areaCentiSqm: 9000,
      developerUnsold: false,
    },
  ],
  owners: [
    {
      id: "o1",
      identityKey: "np:张三|13900000001",
      name: "张三",
      phone: "13900000001",
      registerRef: null,
      idTail: null,
      userId: "user-1",
    },
    {
      id: "o2",
      identityKey: "nu:李四|1幢/102",
      name: "李四",
      phone: null,
      registerRef: null,
      idTail: null,
      userId: "user-2",
    },
    { id: "o3", identityKey: "id:KEY0003", name: "王五", phone: null, registerRef: null, idTail: "0003", userId: null },
  ],
  ownerships: [
    { unitId: "u1", ownerId: "o1" },
    { unitId: "u2", ownerId: "o2" },
    { unitId: "u3", ownerId: "o3" },
  ],
};

describe("planImport", () => {
  it("changes nothing when the file matches the roster", () => {
    const plan = planImport(
      [
        row("1幢", "101", [owner("张三", "13900000001")]),
        row("1幢", "102", [owner("李四")]),
        row("1幢", "103", [owner("王五", null, "KEY0003")]),
      ],
      roster,
    );
    expect(plan.summary).toMatchObject({
      unitsNew: 0,
      unitsUpdated: 0,
      unitsUnchanged: 3,
      ownersNew: 0,
      ownersUpdated: 0,
      ownershipChanged: 0,
      claimedOwnersKept: 2,
    });
    expect(plan.newUnits).toEqual([]);
    expect(plan.updatedOwners).toEqual([]);
    expect(plan.ownershipSets).toEqual([]);
  });

  it("finds new units, field changes and owner changes; leaves units not in the file alone", () => {
    const plan = planImport(
      [
        row("1幢", "101", [owner("张三", "13900000001")], { areaCentiSqm: 9100, kind: "commercial" }),
        row("1幢", "103", [owner("王五", null, "KEY0003"), owner("赵六")]),
        row("2幢", "201", [owner("钱七")]),
      ],
      roster,
    );
    expect(plan.summary).toMatchObject({
      rows: 3,
      buildingsNew: 1,
      unitsNew: 1,
      unitsUpdated: 2,
      unitsUnchanged: 0,
      unitsNotInFile: 1,
      ownersNew: 2,
      ownershipChanged: 1,
    });
    expect(plan.newBuildings).toEqual(["2幢"]);
    expect(plan.updatedUnits).toEqual([expect.objectContaining({ id: "u1", changes: ["kind", "area"] })]);
    expect(plan.ownershipSets).toEqual([
      { building: "1幢", unit: "103", ownerKeys: ["id:KEY0003", "nu:赵六|1幢/103"] },
      { building: "2幢", unit: "201", ownerKeys: ["nu:钱七|2幢/201"] },
    ]);
    expect(plan.samples.map((s) => [s.unit, s.status, s.changes])).toEqual([
      ["101", "updated", ["kind", "area"]],
      ["103", "updated", ["owners"]],
      ["201", "new", []],
    ]);
  });

  it("keeps a claimed owner's entry when their identity changes (a phone added)", () => {
    const plan = planImport([row("1幢", "102", [owner("李四", "13900000002")])], roster);
    expect(plan.newOwners).toEqual([]);
    expect(plan.updatedOwners).toEqual([
      {
        id: "o2",
        identityKey: "np:李四|13900000002",
        name: "李四",
        phone: "13900000002",
        registerRef: null,
        idTail: null,
      },
    ]);
    expect(plan.ownershipSets).toEqual([]);
    expect(plan.summary.claimedOwnersKept).toBe(1);
  });

  it("replaces an owner who is not named any more", () => {
    const plan = planImport([row("1幢", "102", [owner("周八")])], roster);
    expect(plan.newOwners).toEqual([
      { identityKey: "nu:周八|1幢/102", name: "周八", phone: null, registerRef: null, idTail: null },
    ]);
    expect(plan.ownershipSets).toEqual([{ building: "1幢", unit: "102", ownerKeys: ["nu:周八|1幢/102"] }]);
  });

  it("recognises one person across units by ID key, whatever the certificate numbers, and updates a corrected name", () => {
    const plan = planImport(
      [
        row("1幢", "103", [owner("王 五", "13900000009", "KEY0003", "SZ-A")]),
        row("3幢", "301", [owner("王 五", null, "KEY0003", "SZ-B")]),
      ],
      roster,
    );
    expect(plan.newOwners).toEqual([]);
    expect(plan.updatedOwners).toEqual([
      {
        id: "o3",
        identityKey: "id:KEY0003",
        name: "王 五",
        phone: "13900000009",
        registerRef: "SZ-A",
        idTail: "0003",
      },
    ]);
    expect(plan.ownershipSets).toEqual([{ building: "3幢", unit: "301", ownerKeys: ["id:KEY0003"] }]);
    expect(plan.identityWarnings).toEqual([]);
  });

  it("never takes a certificate number for a person: two people under one number stay two", () => {
    const plan = planImport(
      [row("5幢", "501", [owner("甲", null, null, "SZ9")]), row("5幢", "502", [owner("乙", null, null, "SZ9")])],
      roster,
    );
    expect(plan.newOwners.map((o) => o.identityKey)).toEqual(["nu:甲|5幢/501", "nu:乙|5幢/502"]);
  });

  it("gives an owner listed without an ID number the key of the one person with that name and phone", () => {
    const plan = planImport(
      [
        row("5幢", "501", [owner("孙九", "13900000010", "KEY0010")], { line: 2 }),
        row("5幢", "502", [owner("孙 九", "13900000010")], { line: 3 }),
      ],
      roster,
    );
    expect(plan.newOwners).toEqual([
      { identityKey: "id:KEY0010", name: "孙九", phone: "13900000010", registerRef: null, idTail: "0010" },
    ]);
    expect(plan.ownershipSets.map((s) => s.ownerKeys)).toEqual([["id:KEY0010"], ["id:KEY0010"]]);
  });

  it("keeps an owner's ID key when a later file has no ID column", () => {
    const plan = planImport([row("1幢", "103", [owner("王五")])], roster);
    expect(plan.newOwners).toEqual([]);
    expect(plan.updatedOwners).toEqual([]);
    expect(plan.ownershipSets).toEqual([]);
  });

  it("reports the same name and phone under different ID keys, in the file and against the roster", () => {
    const withKeyed: EstateRoster = {
      ...roster,
      owners: [
        ...roster.owners,
        {
          id: "o4",
          identityKey: "id:KEY0044",
          name: "周十",
          phone: "13900000044",
          registerRef: null,
          idTail: "0044",
          userId: null,
        },
      ],
    };
    const plan = planImport(
      [
        row("5幢", "501", [owner("孙九", "13900000010", "KEY0010")], { line: 2 }),
        row("5幢", "502", [owner("孙九", "13900000010", "KEY0011")], { line: 3 }),
        row("5幢", "503", [owner("孙九", "13900000010")], { line: 4 }),
        row("5幢", "504", [owner("周十", "13900000044", "KEY0045")], { line: 5 }),
      ],
      withKeyed,
    );
    expect(plan.identityWarnings).toEqual([
      { name: "孙九", lines: [2, 3, 4], onRoster: false, tails: ["0010", "0011"] },
      { name: "周十", lines: [5], onRoster: true, tails: ["0044", "0045"] },
    ]);
    // Imported as listed: two people, and the one without an ID number by name and phone.
    expect(plan.ownershipSets.map((s) => s.ownerKeys)).toEqual([
      ["id:KEY0010"],
      ["id:KEY0011"],
      ["np:孙九|13900000010"],
      ["id:KEY0045"],
    ]);
  });
});
