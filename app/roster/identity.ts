/** Names compare without spaces (全角 and 半角) and case. */
export function normaliseName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

/**
 * How the same person is recognised across units and re-imports: the property register's
 * reference when there is one, else name plus phone, else the name within that one unit
 * (two 王芳 without phones in different units are two people).
 */
export function ownerIdentityKey(
  owner: { name: string; phone?: string | null; registerRef?: string | null },
  unitKey: string,
): string {
  if (owner.registerRef) return `ref:${owner.registerRef.trim().toUpperCase()}`;
  if (owner.phone) return `np:${normaliseName(owner.name)}|${owner.phone}`;
  return `nu:${normaliseName(owner.name)}|${unitKey}`;
}
