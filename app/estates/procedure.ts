import type { ParseKeys } from "i18next";
import { z } from "zod";
import type { UnitKind } from "#db/schema/places";
import { unitKinds } from "#db/values";
import { atLeastAsStrict, type Threshold } from "~/lib/law";

/**
 * The estate's rules of procedure as settings (DESIGN.md "Proposals and votes"): one entry per
 * setting, each with its default, its validation (Zod, with the law's floor where the law sets
 * one: an estate may be stricter than the law, never looser), how the settings form sends it and
 * how the settings page shows it. The stored JSON (estate.settings) is read only through
 * `estateSettings`, which keeps every valid stored value and fills the rest with defaults.
 *
 * To add a setting (the query period, the proxy cap, the committee's majority, the signing
 * deadline…): add one entry here and its words in estate.messages.ts. A vote fixes the rules it
 * needs when it opens (proposal.rules), so a change applies to later votes.
 *
 * Client-safe: no database code (the page's component reads this module).
 */

/** A key of the message catalogue. */
type MessageKey = ParseKeys;

/** The unit kinds (db/values.ts: the schema's enum is built from the same list). */
export { unitKinds };

/** Committee elections: every owner votes in every zone's race, or only in their own zone's (and X): app/committee/zone-voting.ts. */
export const zoneVotingModes = ["all", "own"] as const;
export type ZoneVoting = (typeof zoneVotingModes)[number];

export const ballotListAccessOptions = ["verified_owners", "committee", "nobody"] as const;
export type BallotListAccess = (typeof ballotListAccessOptions)[number];

/** How a setting is edited on the settings page. */
export type SettingInput =
  | { kind: "checkboxes"; options: readonly string[]; optionLabel: (option: string) => MessageKey }
  | { kind: "radio"; options: readonly string[]; optionLabel: (option: string) => MessageKey }
  | { kind: "yesNo"; yes: MessageKey; no: MessageKey }
  | { kind: "number"; min: number; max: number; unit?: MessageKey }
  | { kind: "threshold"; options: readonly Threshold[] };

export interface SettingDefinition<T> {
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  default: T;
  /** The value as the settings form sends it, before validation. */
  fromForm: (form: FormData, name: string) => unknown;
  /** The value as the settings form's controls hold it. */
  toForm: (value: T) => string | string[];
  label: MessageKey;
  hint?: MessageKey;
  input: SettingInput;
}

function define<T>(d: SettingDefinition<T>): SettingDefinition<T> {
  return d;
}

// ---- Builders for settings with the law's floor ---------------------------------------------

/** A whole number of days (or people…) at least the law's floor, at most `max`. */
export function integerAtLeast(floor: number, max: number, message: MessageKey) {
  return z.coerce.number({ invalid_type_error: message }).int(message).min(floor, message).max(max, message);
}

/** A threshold at least as strict as the law's (a fraction no lower; at the same fraction, "more than" is stricter than "at least"). */
export function thresholdAtLeast(floor: Threshold, message: MessageKey) {
  return z
    .object({ num: z.number().int().positive(), den: z.number().int().positive(), inclusive: z.boolean() }, { message })
    .refine((t) => (t.inclusive ? t.num <= t.den : t.num < t.den) && atLeastAsStrict(t, floor), message);
}

/** A threshold as a form sends it: "2/3" (at least) or ">1/2" (more than). */
export function thresholdFromForm(value: FormDataEntryValue | null): unknown {
  const m = typeof value === "string" ? /^(>?)(\d{1,3})\/(\d{1,3})$/.exec(value) : null;
  return m ? { num: Number(m[2]), den: Number(m[3]), inclusive: m[1] === "" } : value;
}

export function thresholdToForm(t: Threshold): string {
  return `${t.inclusive ? "" : ">"}${t.num}/${t.den}`;
}

/** The proxy cap's range (the proxy_holder_cap trigger falls back to the default outside it). */
export const proxyCapRange = { min: 1, max: 20 } as const;

// ---- The settings -------------------------------------------------------------------------

const yesNo = (form: FormData, name: string) =>
  form.get(name) === "yes" ? true : form.get(name) === "no" ? false : undefined;

/** The law's vote notice: 15 days before the vote (物业管理条例 Art. 14). */
export const voteNoticeFloor = 15;

export const procedureSettings = {
  /** Unit kinds whose area and headcount count in owner votes; homes always count (the Civil Code's electorate). */
  votingUnitKinds: define<UnitKind[]>({
    schema: z
      .array(z.enum(unitKinds), { invalid_type_error: "estate.settings.errors.kinds" })
      .refine((kinds) => kinds.includes("residential"), "estate.settings.errors.residential")
      .transform((kinds) => unitKinds.filter((k) => kinds.includes(k))),
    default: [...unitKinds],
    fromForm: (form, name) => form.getAll(name).map(String),
    toForm: (kinds) => kinds,
    label: "estate.settings.kinds",
    hint: "estate.settings.kindsHint",
    input: { kind: "checkboxes", options: unitKinds, optionLabel: (k) => `common.unitKinds.${k as UnitKind}` },
  }),
  /** May an owner change their ballot until the window closes (Beijing: no)? The later one counts. */
  ballotsChangeable: define<boolean>({
    schema: z.boolean({
      required_error: "estate.settings.errors.changeable",
      invalid_type_error: "estate.settings.errors.changeable",
    }),
    default: true,
    fromForm: yesNo,
    toForm: (v) => (v ? "yes" : "no"),
    label: "estate.settings.changeable",
    input: { kind: "yesNo", yes: "estate.settings.changeableYes", no: "estate.settings.changeableNo" },
  }),
  /** Which ballot counts when a voter voted both on paper and online (Shenzhen: online). */
  paperOnlineConflict: define<"online" | "paper">({
    schema: z.enum(["online", "paper"], { message: "estate.settings.errors.conflict" }),
    default: "online",
    fromForm: (form, name) => form.get(name),
    toForm: (v) => v,
    label: "estate.settings.conflict",
    input: {
      kind: "radio",
      options: ["online", "paper"],
      optionLabel: (o) => (o === "paper" ? "estate.settings.conflictPaper" : "estate.settings.conflictOnline"),
    },
  }),
  /**
   * Who may inspect the full ballot list of a closed vote (areas, exact times, the hash chain),
   * each look audited; the estate's rules of procedure decide (SPC interpretation Art. 13).
   */
  ballotListAccess: define<BallotListAccess>({
    schema: z.enum(ballotListAccessOptions, { message: "estate.settings.errors.ballotList" }),
    default: "verified_owners",
    fromForm: (form, name) => form.get(name),
    toForm: (v) => v,
    label: "estate.settings.ballotList",
    hint: "estate.settings.ballotListHint",
    input: {
      kind: "radio",
      options: ballotListAccessOptions,
      optionLabel: (o) => `estate.settings.ballotListOptions.${o as BallotListAccess}`,
    },
  }),
  /** Committee elections: every owner votes in every zone's race (the law's reading), or only in their own zone's and X. */
  electionZoneVoting: define<ZoneVoting>({
    schema: z.enum(zoneVotingModes, { message: "estate.settings.errors.zoneVoting" }),
    default: "all",
    fromForm: (form, name) => form.get(name),
    toForm: (v) => v,
    label: "estate.settings.zoneVoting",
    hint: "estate.settings.zoneVotingHint",
    input: {
      kind: "radio",
      options: zoneVotingModes,
      optionLabel: (o) => `estate.settings.zoneVotingOptions.${o as ZoneVoting}`,
    },
  }),
  /**
   * How many owners one person may hold authorisations for in one vote (DESIGN.md "Proxies"),
   * fixed when the vote opens. The database enforces it (the proxy_holder_cap trigger, which
   * mirrors this default and range for votes not yet open).
   */
  proxyCap: define<number>({
    schema: integerAtLeast(proxyCapRange.min, proxyCapRange.max, "estate.settings.errors.proxyCap"),
    default: 5,
    fromForm: (form, name) => form.get(name),
    toForm: (v) => String(v),
    label: "estate.settings.proxyCap",
    hint: "estate.settings.proxyCapHint",
    input: { kind: "number", min: proxyCapRange.min, max: proxyCapRange.max, unit: "estate.settings.proxyCapUnit" },
  }),
  /** Whether a spoiled paper ballot (废票) takes part (quorum, denominator); it never agrees. Fixed at opening. */
  spoiledTakesPart: define<boolean>({
    schema: z.boolean({
      required_error: "estate.settings.errors.spoiled",
      invalid_type_error: "estate.settings.errors.spoiled",
    }),
    default: true,
    fromForm: yesNo,
    toForm: (v) => (v ? "yes" : "no"),
    label: "estate.settings.spoiled",
    hint: "estate.settings.spoiledHint",
    input: { kind: "yesNo", yes: "estate.settings.spoiledYes", no: "estate.settings.spoiledNo" },
  }),
  /**
   * Whether the co-owners of a unit name one of them to vote (in writing, recorded on the roster
   * by the committee); then only the named co-owner casts online for it. Off: any co-owner may.
   */
  coOwnersNameOne: define<boolean>({
    schema: z.boolean({
      required_error: "estate.settings.errors.coOwners",
      invalid_type_error: "estate.settings.errors.coOwners",
    }),
    default: false,
    fromForm: yesNo,
    toForm: (v) => (v ? "yes" : "no"),
    label: "estate.settings.coOwners",
    hint: "estate.settings.coOwnersHint",
    input: { kind: "yesNo", yes: "estate.settings.coOwnersYes", no: "estate.settings.coOwnersNo" },
  }),
  /**
   * Calendar days between the vote notice's date and the opening's date (物业管理条例 Art. 14:
   * owners are told 15 days ahead; an estate may give more, never less).
   */
  voteNoticeDays: define<number>({
    schema: integerAtLeast(voteNoticeFloor, 90, "estate.settings.errors.voteNoticeDays"),
    default: voteNoticeFloor,
    fromForm: (form, name) => form.get(name),
    toForm: (v) => String(v),
    label: "estate.settings.voteNoticeDays",
    hint: "estate.settings.voteNoticeDaysHint",
    input: { kind: "number", min: voteNoticeFloor, max: 90, unit: "estate.settings.days" },
  }),
  /**
   * The query period (询异) after the preliminary result, in calendar days (a deadline "within
   * k days" of the close, moved past rest days); the final result is posted when it ends. Fixed
   * for a vote when it closes.
   */
  queryPeriodDays: define<number>({
    schema: integerAtLeast(1, 30, "estate.settings.errors.queryPeriod"),
    default: 7,
    fromForm: (form, name) => form.get(name),
    toForm: (v) => String(v),
    label: "estate.settings.queryPeriod",
    hint: "estate.settings.queryPeriodHint",
    input: { kind: "number", min: 1, max: 30, unit: "estate.settings.days" },
  }),
};

type Definitions = typeof procedureSettings;
export type SettingKey = keyof Definitions;
export type ProcedureSettings = { [K in SettingKey]: Definitions[K] extends SettingDefinition<infer T> ? T : never };

export const settingKeys = Object.keys(procedureSettings) as SettingKey[];

export const procedureDefaults = Object.fromEntries(
  settingKeys.map((k) => [k, procedureSettings[k].default]),
) as ProcedureSettings;

/** Every setting, validated together (the settings form's schema). */
export const ProcedureSchema = z.object(
  Object.fromEntries(settingKeys.map((k) => [k, procedureSettings[k].schema])) as {
    [K in SettingKey]: Definitions[K]["schema"];
  },
);

/** Reads the settings form: every setting, each the way its control sends it. */
export function parseProcedureForm(form: FormData) {
  return ProcedureSchema.safeParse(
    Object.fromEntries(settingKeys.map((k) => [k, procedureSettings[k].fromForm(form, k)])),
  );
}

/**
 * An estate's settings from what is stored: each stored value that is still valid, else the
 * default (a key never set, or one a later rule no longer allows).
 */
export function estateSettings(stored: unknown): ProcedureSettings {
  const raw = (stored && typeof stored === "object" ? stored : {}) as Record<string, unknown>;
  return Object.fromEntries(
    settingKeys.map((k) => {
      const parsed = k in raw ? procedureSettings[k].schema.safeParse(raw[k]) : null;
      return [k, parsed?.success ? parsed.data : procedureSettings[k].default];
    }),
  ) as ProcedureSettings;
}
