/** part / whole as a percentage with two decimals, for display only (the rules never use it). */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return "0.00";
  const hundredths = Math.floor((part * 10_000) / whole);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}
