import { createInstance } from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addDaysToDate,
  beijingDate,
  beijingDateTimeFormat,
  beijingMonth,
  endOfBeijingDay,
  parseBeijingDate,
  parseBeijingDateTime,
  startOfBeijingDay,
  toBeijingDateTime,
  useDateTimeFormat,
} from "./time";

describe("Beijing calendar days", () => {
  it("names the Beijing day and month of an instant, turning at 16:00 UTC", () => {
    expect(beijingDate(new Date("2026-11-30T15:59:59Z"))).toBe("2026-11-30");
    expect(beijingDate(new Date("2026-11-30T16:00:00Z"))).toBe("2026-12-01");
    expect(beijingMonth(new Date("2026-11-30T16:00:00Z"))).toBe("2026-12");
    expect(beijingMonth(new Date("2026-12-31T15:59:59Z"))).toBe("2026-12");
  });

  it("finds the start and the (exclusive) end of the Beijing day", () => {
    const late = new Date("2026-11-30T23:30:00Z"); // 07:30 on 1 December in Beijing
    expect(startOfBeijingDay(late).toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(endOfBeijingDay(late).toISOString()).toBe("2026-12-01T16:00:00.000Z");
    const midnight = new Date("2026-11-30T16:00:00Z");
    expect(startOfBeijingDay(midnight).toISOString()).toBe(midnight.toISOString());
    const lastMs = new Date("2026-12-01T15:59:59.999Z");
    expect(startOfBeijingDay(lastMs).toISOString()).toBe("2026-11-30T16:00:00.000Z");
  });

  it("adds days to instants and to dates, across months, years and 29 February", () => {
    expect(addDays(new Date("2026-12-31T20:00:00Z"), 1).toISOString()).toBe("2027-01-01T20:00:00.000Z");
    expect(addDaysToDate("2026-12-20", 15)).toBe("2027-01-04");
    expect(addDaysToDate("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDaysToDate("2027-03-01", -1)).toBe("2027-02-28");
  });
});

describe("Beijing time in forms", () => {
  it("reads a datetime-local value as Beijing time and back", () => {
    expect(parseBeijingDateTime("2026-12-01T09:30")?.toISOString()).toBe("2026-12-01T01:30:00.000Z");
    expect(parseBeijingDateTime("2026-12-01T00:15")?.toISOString()).toBe("2026-11-30T16:15:00.000Z");
    expect(parseBeijingDateTime("2026-12-01T00:10:05")?.toISOString()).toBe("2026-11-30T16:10:05.000Z");
    expect(toBeijingDateTime(new Date("2026-11-30T16:15:00Z"))).toBe("2026-12-01T00:15");
  });
  it("reads a date as midnight in Beijing", () => {
    expect(parseBeijingDate("2026-03-01")?.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(beijingDate(new Date("2026-02-28T16:00:00Z"))).toBe("2026-03-01");
  });
  it("refuses malformed and impossible values", () => {
    for (const v of [
      "",
      "2026-02-30T10:00",
      "2026-12-01T24:00",
      "2026-12-01T10:60",
      "2026-12-01T10:00:60",
      "2026-12-01 10:00",
      "tomorrow",
    ]) {
      expect(parseBeijingDateTime(v), v).toBeNull();
    }
    expect(parseBeijingDate("2026-13-01")).toBeNull();
    expect(parseBeijingDate("2026-02-29")).toBeNull();
    expect(parseBeijingDate("2026-12-01T10:00")).toBeNull();
  });
});

describe("dates and times as people read them", () => {
  const at = new Date("2026-12-01T13:30:00Z"); // 21:30 in Beijing

  it("writes a 24-hour clock in English too, in Beijing time", () => {
    expect(beijingDateTimeFormat("en", { timeStyle: "short" }).format(at)).toBe("21:30");
    expect(beijingDateTimeFormat("zh-CN", { timeStyle: "short" }).format(at)).toBe("21:30");
    expect(beijingDateTimeFormat("en").format(at)).toMatch(/^Dec 1, 2026, 21:30$/);
    expect(beijingDateTimeFormat("en", { dateStyle: "medium" }).format(at)).toBe("Dec 1, 2026");
  });

  it("the page hook uses the reader's language and the same 24-hour Beijing clock", async () => {
    function When({ options }: { options?: Intl.DateTimeFormatOptions }) {
      return <span>{useDateTimeFormat(options).format(at)}</span>;
    }
    const render = async (lng: string, options?: Intl.DateTimeFormatOptions) => {
      const i18n = createInstance();
      await i18n.use(initReactI18next).init({ lng, resources: {}, initImmediate: false });
      return renderToString(
        <I18nextProvider i18n={i18n}>
          <When options={options} />
        </I18nextProvider>,
      );
    };
    expect(await render("en", { timeStyle: "short" })).toBe("<span>21:30</span>");
    expect(await render("en")).toBe("<span>Dec 1, 2026, 21:30</span>");
    expect(await render("zh-CN")).toBe("<span>2026年12月1日 21:30</span>");
  });
});
