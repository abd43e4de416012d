/**
 * Where to send the browser after a form (log in, sign up, change language) when the target
 * comes from the request: only a path on this site, else `fallback`.
 *
 * Browsers drop tabs, CR and LF from a Location and read `\` as `/`, so `/\t/evil.example`
 * and `/\evil.example` leave the site although they start with one `/`. The value is refused
 * if it (or its percent-decoded form) holds any control character or backslash, then parsed
 * against a fixed origin: it must stay on that origin, and its normalised path must start with
 * a single `/` (`/..//evil` normalises to `//evil`). The normalised path, query and fragment
 * are returned, never the raw input.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || unsafeCharacter.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  // Encoded forms (`/%2F%2Fevil`, `/%09/evil`, `/%5Cevil`) are refused too, in case anything
  // in front of the app decodes the path before a browser sees it.
  if (decoded.startsWith("//") || unsafeCharacter.test(decoded)) return fallback;
  return url.pathname + url.search + url.hash;
}

/** C0 controls (tab, CR, LF, NUL…), DEL, C1 controls, and the backslash. */
// eslint-disable-next-line no-control-regex
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\\]/;

/** Any fixed origin does: only the path of the result is used. */
const base = new URL("http://yishitang.invalid");
