import { and, count, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { AuditAct, AuditSubject } from "#db/schema/audit";
import { maskName } from "~/ui/mask";

const { auditEvents, users } = schema;

export interface AuditEntry {
  estateId: string | null;
  /** Null for the system's own acts (a refund the payment provider reports). */
  actorUserId: string | null;
  act: AuditAct;
  subjectType: AuditSubject;
  subjectId: string;
  /** Ids, counts, amounts and outcomes only: the committee reads every row, so no names or phones. */
  detail?: Record<string, string | number | boolean | null | string[]>;
  at?: Date;
}

/**
 * Records a sensitive act. Always called with the act's own transaction, so the act and its
 * record commit together or not at all (a refused or failed act leaves no row).
 */
export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    estateId: entry.estateId,
    actorUserId: entry.actorUserId,
    act: entry.act,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    detail: entry.detail ?? {},
    createdAt: entry.at ?? new Date(),
  });
}

/**
 * A reviewer saw personal data in full (roster names, the last digits of roster phones): one
 * row per subject shown, in one statement, so "who looked at this request" is a lookup by subject.
 */
export async function recordPersonalDataViews(
  db: Queryable,
  input: {
    estateId: string;
    actorUserId: string;
    subjectType: AuditSubject;
    subjectIds: readonly string[];
    page: string;
    at?: Date;
  },
): Promise<void> {
  const ids = [...new Set(input.subjectIds)];
  if (ids.length === 0) return;
  const at = input.at ?? new Date();
  await db.insert(auditEvents).values(
    ids.map((subjectId) => ({
      estateId: input.estateId,
      actorUserId: input.actorUserId,
      act: "personal_data_viewed" as const,
      subjectType: input.subjectType,
      subjectId,
      detail: { page: input.page },
      createdAt: at,
    })),
  );
}

export interface AuditQuery {
  estateId: string;
  act: AuditAct | null;
  /** Inclusive lower bound and exclusive upper bound (Beijing days, already converted). */
  from: Date | null;
  until: Date | null;
  page: number;
  pageSize: number;
  /** Admins see who acted; committee members see masked names (the roles are public, the people need not be). */
  showActorNames: boolean;
}

export async function listAuditEvents(q: AuditQuery) {
  const where: SQL[] = [eq(auditEvents.estateId, q.estateId)];
  if (q.act) where.push(eq(auditEvents.act, q.act));
  if (q.from) where.push(gte(auditEvents.createdAt, q.from));
  if (q.until) where.push(lt(auditEvents.createdAt, q.until));
  const db = getDb();
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: auditEvents.id,
        act: auditEvents.act,
        subjectType: auditEvents.subjectType,
        subjectId: auditEvents.subjectId,
        detail: auditEvents.detail,
        createdAt: auditEvents.createdAt,
        actorId: auditEvents.actorUserId,
        actorName: users.displayName,
        actorDeleted: users.deletedAt,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorUserId))
      .where(and(...where))
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(...where)),
  ]);
  return {
    total: total.n,
    events: rows.map(({ actorName, actorDeleted, actorId, ...r }) => ({
      ...r,
      actor:
        actorId === null
          ? ({ kind: "system" } as const)
          : actorDeleted
            ? ({ kind: "deleted" } as const)
            : ({ kind: "user", name: q.showActorNames ? actorName! : maskName(actorName!) } as const),
    })),
  };
}
