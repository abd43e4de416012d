/**
 * Billing periods, named by keys that sort in time order: "2026-11" (a month), "2026-Q4" (a
 * quarter), "2026" (a year). Dates are calendar dates in Beijing time, as "YYYY-MM-DD";
 * a period's `end` is the day after its last day.
 */

export type Cycle = "monthly" | "quarterly" | "yearly";

export interface Period {
  key: string;
  cycle: Cycle;
  start: string;
  end: string;
  months: 1 | 3 | 12;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const ymd = (year: number, month: number, day = 1) => {
  // Month may run past 12: normalise.
  const y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  return `${pad(y, 4)}-${pad(m)}-${pad(day)}`;
};

export function parsePeriod(key: string): Period | null {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return { key, cycle: "monthly", start: ymd(y, mo), end: ymd(y, mo + 1), months: 1 };
  }
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    return { key, cycle: "quarterly", start: ymd(y, 3 * q - 2), end: ymd(y, 3 * q + 1), months: 3 };
  }
  m = /^(\d{4})$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    return { key, cycle: "yearly", start: ymd(y, 1), end: ymd(y + 1, 1), months: 12 };
  }
  return null;
}

/** The period of a cycle that contains a Beijing date ("YYYY-MM-DD"). */
export function periodContaining(cycle: Cycle, date: string): Period {
  const [y, mo] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const key =
    cycle === "monthly"
      ? `${pad(y, 4)}-${pad(mo)}`
      : cycle === "quarterly"
        ? `${pad(y, 4)}-Q${Math.ceil(mo / 3)}`
        : pad(y, 4);
  return parsePeriod(key)!;
}

/** The period before (-1) or after (+1) another of the same cycle. */
export function shiftPeriod(period: Period, by: number): Period {
  const [y, mo] = [Number(period.start.slice(0, 4)), Number(period.start.slice(5, 7))];
  return periodContaining(period.cycle, ymd(y, mo + by * period.months));
}

/** Whether two periods overlap (e.g. "2026-11" and "2026-Q4"). */
export function overlaps(a: Pick<Period, "start" | "end">, b: Pick<Period, "start" | "end">): boolean {
  return a.start < b.end && b.start < a.end;
}
