import { createCookie, redirect } from "@remix-run/node";
import type { ParseKeys } from "i18next";

/** A one-time message shown after a redirect; the text is a catalogue key, shown in the reader's language. */
export interface Toast {
  key: ParseKeys;
  params?: Record<string, string | number>;
  type?: "success" | "error";
}

const toastCookie = createCookie("yst_toast", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 });

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastCookie.serialize(toast));
  return redirect(url, { ...init, headers });
}

export async function readToast(request: Request): Promise<{ toast: Toast | null; setCookie?: string }> {
  const toast = (await toastCookie.parse(request.headers.get("Cookie"))) as Toast | null;
  if (!toast) return { toast: null };
  return { toast, setCookie: await toastCookie.serialize("", { maxAge: 0 }) };
}
