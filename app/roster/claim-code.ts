import { randomBytes } from "node:crypto";

/** No 0/O, 1/I/L: letters an elderly owner can read off a printed letter without doubt. */
export const claimCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const claimCodeLength = 10; // 31^10 ≈ 2^49.5 codes

/** A uniformly random code (rejection sampling, so no character is likelier than another). */
export function generateClaimCode(random: (n: number) => Uint8Array = randomBytes): string {
  const limit = 256 - (256 % claimCodeAlphabet.length);
  let code = "";
  while (code.length < claimCodeLength) {
    for (const byte of random(claimCodeLength * 2)) {
      if (byte < limit && code.length < claimCodeLength) code += claimCodeAlphabet[byte % claimCodeAlphabet.length];
    }
  }
  return code;
}

/** What an owner types: case, spaces and dashes do not matter. */
export function normaliseClaimCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

/** Shown in groups of five on letters: ABCDE-FGHJK. */
export function formatClaimCode(code: string): string {
  return code.replace(/(.{5})(?=.)/g, "$1-");
}
