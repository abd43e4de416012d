import type { ReactElement } from "react";
import type { NotifyCategory } from "../../db/schema/notify";
import type { MailContext } from "./context";

/** One kind of mail: its category, subject line, the page it is about, and its body. */
export interface EmailTemplate<P> {
  category: NotifyCategory;
  subject(props: P, ctx: MailContext): string;
  /** The path in the site the mail links back to (the in-app notice links there too). */
  path(props: P): string;
  Component(props: P & { ctx: MailContext }): ReactElement;
}

export function defineTemplate<P>(template: EmailTemplate<P>): EmailTemplate<P> {
  return template;
}
