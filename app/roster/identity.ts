/** Names compare without spaces (全角 and 半角) and case. */
export function normaliseName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

/**
 * How the same person is recognised across units and re-imports (SPC interpretation Art. 9:
 * one owner of several units is one person): the person key (a keyed hash of the ID number,
 * app/roster/person-key.server.ts) when the roster has one, else name plus phone, else the name
 * within that one unit (two 王芳 without phones in different units are two people). The
 * property-certificate number (产权证号) is never used: it identifies a unit's title, so one
 * owner of two flats has two, and co-owners of one flat share one.
 */
export function ownerIdentityKey(
  owner: { name: string; phone?: string | null; personKey?: string | null },
  unitKey: string,
): string {
  if (owner.personKey) return `id:${owner.personKey}`;
  if (owner.phone) return nameAndPhoneKey(owner.name, owner.phone);
  return `nu:${normaliseName(owner.name)}|${unitKey}`;
}

/** The name-and-phone key: also how the import finds one person listed under different ID numbers. */
export function nameAndPhoneKey(name: string, phone: string): string {
  return `np:${normaliseName(name)}|${phone}`;
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheckDigits = "10X98765432";

/**
 * A resident identity card number (GB 11643-1999: 17 digits and a check character, 0–9 or X),
 * upper-cased and without spaces; null when it is not one (wrong length or a failed check,
 * which catches a mistyped digit). Other documents are not accepted: such owners are
 * recognised by name and phone.
 */
export function normaliseIdNumber(input: string): string | null {
  const id = input.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * idWeights[i];
  return idCheckDigits[sum % 11] === id[17] ? id : null;
}

/** What is ever shown of an ID number: its last 4 characters. */
export function idTailOf(id: string): string {
  return id.slice(-4);
}
