import { eq } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import { enqueue } from "~/notify/outbox.server";
import { replacement, type CastBallotInfo } from "./engine/replacement";

/**
 * Tells the owner whose own online ballot a new one just replaced (a co-owner's, or a paper
 * ballot the committee confirmed): mail, in-app and SMS per their preferences, once per replaced
 * ballot. The caller has already decided that `incoming` replaces `current` (under the vote's
 * rules); whom to tell is the engine's one replacement rule's `tellUserId`, asked here under
 * rules that let this replacement stand.
 */
export async function tellReplacedOwner(
  tx: Queryable,
  input: {
    estateId: string;
    current: CastBallotInfo & { receipt: string };
    incoming: CastBallotInfo;
    vote: { title: string; path: (slug: string) => string };
    now: Date;
  },
): Promise<string | null> {
  const decided = replacement(
    { ballotsChangeable: true, paperOnlineConflict: input.incoming.channel === "paper" ? "paper" : "online" },
    input.current,
    input.incoming,
  );
  const tell = decided.ok ? decided.tellUserId : null;
  if (!tell || input.incoming.channel === "proxy") return null;
  const [estate] = await tx
    .select({ slug: schema.estates.slug })
    .from(schema.estates)
    .where(eq(schema.estates.id, input.estateId));
  await enqueue(tx, [
    {
      template: "ballot-replaced",
      userId: tell,
      estateId: input.estateId,
      idempotencyKey: `ballot-replaced:${input.current.receipt}`,
      props: {
        voteTitle: input.vote.title,
        channel: input.incoming.channel,
        castAt: input.now.toISOString(),
        path: input.vote.path(estate.slug),
      },
    },
  ]);
  return tell;
}
