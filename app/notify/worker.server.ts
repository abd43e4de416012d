import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { getDb, schema, type Db } from "#db/client";
import { env } from "~/env.server";
import { linkOrigin } from "~/lib/public-origin.server";
import type { OutboxChannel } from "#db/schema/notify";
import {
  registeredOutboxSender,
  type ChannelSender,
  type DeliveryOutcome,
  type OutboxDelivery,
} from "./channels.server";
import { composeMail, type MailSettings, type OutgoingMail } from "./compose.server";
import { smsOutboxSender } from "./sms-sender.server";
import { wechatOutboxSender } from "./wechat-sender.server";

const { outbox, users, estates } = schema;

/** Where mail goes. The worker only needs `send`; a test or a benchmark may hand in its own. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** nodemailer options from SMTP_URL (smtp://user:pass@host:port, or smtps:// for TLS from the start). */
export function smtpOptions(url: string): SMTPPool.Options {
  const u = new URL(url);
  const secure = u.protocol === "smtps:";
  if (!secure && u.protocol !== "smtp:") throw new Error("SMTP_URL must start with smtp:// or smtps://");
  return {
    pool: true,
    maxConnections: Number(u.searchParams.get("maxConnections") ?? 5),
    host: u.hostname,
    port: Number(u.port) || (secure ? 465 : 587),
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // A send must end well inside the claim's lease (see the worker's sendTimeoutMs).
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    tls: { rejectUnauthorized: u.searchParams.get("tlsRejectUnauthorized") !== "false" },
  };
}

export function smtpTransport(url: string): MailTransport {
  const options = smtpOptions(url);
  const transporter = nodemailer.createTransport(options);
  return {
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        headers: mail.headers,
        messageId: mail.messageId,
      });
    },
    close: () => transporter.close(),
  };
}

export interface WorkerOptions extends MailSettings {
  /** null: no SMTP configured; due mail is parked as "held", never reported as sent. */
  transport: MailTransport | null;
  /**
   * Senders per channel besides mail (which is `transport`). Unset: SMS through sendSms (the
   * configured carrier, or held), WeChat through what registerOutboxSender registered, or held.
   */
  senders?: Partial<Record<Exclude<OutboxChannel, "mail">, ChannelSender | null>>;
  db?: () => Db;
  /** Names this worker in claimed_by. */
  id?: string;
  /** Rows claimed at once. */
  batchSize?: number;
  /** Mails sent at the same time by this worker. */
  concurrency?: number;
  /** How long a claim holds; after it another worker may claim the row again (a crashed worker's mail). */
  leaseMs?: number;
  /** A send taking longer counts as failed; no send starts unless this much of the lease is left. */
  sendTimeoutMs?: number;
  /** Attempts before a mail is parked as failed. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Wait between polls when nothing is due. */
  pollMs?: number;
  onError?: (message: string, error: unknown) => void;
}

export interface RunResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  held: number;
  skipped: number;
  released: number;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A reply in the 5xx range is permanent (RFC 5321): retrying will not help. So is a PermanentDeliveryError. */
export function isPermanent(error: unknown): boolean {
  if ((error as { permanent?: unknown })?.permanent === true) return true;
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/** The mail channel: composes the row's mail and hands it to SMTP; held without SMTP. */
export function mailSender(transport: MailTransport | null, settings: MailSettings): ChannelSender {
  return {
    async send(row) {
      // No SMTP: keep the mail, visibly undelivered (/dev/mail shows it).
      if (!transport) return { status: "held" };
      if (!row.email) return { status: "skipped", reason: "no email address" };
      let mail: OutgoingMail;
      try {
        mail = await composeMail({ ...row, email: row.email }, settings);
      } catch (error) {
        // A template that cannot render will not render next time either.
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { permanent: true });
      }
      await transport.send(mail);
      return { status: "sent" };
    },
    close: () => transport?.close(),
  };
}

function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string; responseCode?: number };
  const parts = [e?.code, e?.responseCode, e?.message ?? String(error)].filter((p) => p !== undefined && p !== "");
  return parts.join(" ").slice(0, 1000);
}

class Timeout extends Error {
  code = "ETIMEOUT";
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout(`send took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface MailWorker {
  readonly id: string;
  /** Claims one batch of due mail and handles it; resolves when the batch is done. */
  runOnce(): Promise<RunResult>;
  /** Polls until stopped. */
  start(): void;
  /** Finishes the sends in flight, gives the rest of its batch back, and closes the transport. */
  stop(): Promise<void>;
}

/**
 * The outbox worker. Any number may run against one database: each claims due rows with
 * SELECT … FOR UPDATE SKIP LOCKED and marks them "sending" with a lease, so no two workers
 * hold the same row. A row is marked sent only by the worker holding its claim. If a worker
 * dies after the SMTP server accepted a mail but before marking it, the lease runs out and
 * another worker sends it again: at most one duplicate per crash (README, "Mail").
 */
export function createMailWorker(options: WorkerOptions): MailWorker {
  const id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const db = options.db ?? getDb;
  const batchSize = options.batchSize ?? 25;
  const concurrency = options.concurrency ?? 5;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffBaseMs = options.backoffBaseMs ?? 30_000;
  const backoffMaxMs = options.backoffMaxMs ?? 60 * 60_000;
  const pollMs = options.pollMs ?? 1000;
  const onError = options.onError ?? ((message, error) => console.error(`[mail worker ${id}] ${message}`, error));
  if (sendTimeoutMs >= leaseMs) throw new Error("sendTimeoutMs must be shorter than leaseMs");

  const mine = (rowId: string) => and(eq(outbox.id, rowId), eq(outbox.claimedBy, id), eq(outbox.status, "sending"));

  async function claim(): Promise<OutboxDelivery[]> {
    return db().transaction(async (tx) => {
      const due = await tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          or(
            and(eq(outbox.status, "queued"), lte(outbox.nextAttemptAt, sql`now()`)),
            // A claim whose lease ran out: its worker died or hung.
            and(eq(outbox.status, "sending"), lte(outbox.lockedUntil, sql`now()`)),
          ),
        )
        .orderBy(outbox.nextAttemptAt)
        .limit(batchSize)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      const ids = due.map((d) => d.id);
      await tx
        .update(outbox)
        .set({
          status: "sending",
          attempts: sql`${outbox.attempts} + 1`,
          lockedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
          claimedBy: id,
          claimedAt: sql`now()`,
        })
        .where(inArray(outbox.id, ids));
      return tx
        .select({
          id: outbox.id,
          channel: outbox.channel,
          template: outbox.template,
          props: outbox.props,
          category: outbox.category,
          attempts: outbox.attempts,
          userId: users.id,
          estateId: outbox.estateId,
          email: users.email,
          phone: sql<string | null>`case when ${users.phoneVerifiedAt} is not null then ${users.phone} end`,
          displayName: users.displayName,
          locale: users.locale,
          estateName: estates.name,
        })
        .from(outbox)
        .innerJoin(users, eq(users.id, outbox.userId))
        .leftJoin(estates, eq(estates.id, outbox.estateId))
        .where(inArray(outbox.id, ids));
    });
  }

  async function markSent(rowId: string) {
    await db()
      .update(outbox)
      .set({ status: "sent", sentAt: sql`now()`, lockedUntil: null, lastError: null })
      .where(mine(rowId));
  }

  async function markFailure(
    row: { id: string; attempts: number },
    error: unknown,
    permanent: boolean,
  ): Promise<"retried" | "failed"> {
    const lastError = describeError(error);
    if (permanent || row.attempts >= maxAttempts) {
      await db().update(outbox).set({ status: "failed", lockedUntil: null, lastError }).where(mine(row.id));
      return "failed";
    }
    const delay = backoffDelay(row.attempts, backoffBaseMs, backoffMaxMs);
    await db()
      .update(outbox)
      .set({
        status: "queued",
        lockedUntil: null,
        lastError,
        nextAttemptAt: sql`now() + ${delay} * interval '1 millisecond'`,
      })
      .where(mine(row.id));
    return "retried";
  }

  /** held or skipped: not sent, and no worker will try again (an admin may queue it again). */
  async function markParked(rowId: string, outcome: Exclude<DeliveryOutcome, { status: "sent" }>) {
    await db()
      .update(outbox)
      .set({ status: outcome.status, lockedUntil: null, lastError: outcome.reason ?? null })
      .where(mine(rowId));
  }

  const mail = mailSender(options.transport, options);
  const senderOf = (channel: OutboxChannel): ChannelSender | null => {
    if (channel === "mail") return mail;
    const given = options.senders?.[channel];
    if (given !== undefined) return given;
    if (channel === "wechat") return registeredOutboxSender(channel) ?? wechatOutboxSender;
    return channel === "sms" ? smsOutboxSender : (registeredOutboxSender(channel) ?? null);
  };

  /** Gives a claimed row back untouched (not enough lease left to send it safely). */
  async function release(rowId: string) {
    await db()
      .update(outbox)
      .set({ status: "queued", lockedUntil: null, attempts: sql`${outbox.attempts} - 1` })
      .where(mine(rowId));
  }

  let stopping = false;

  async function runOnce(): Promise<RunResult> {
    const result: RunResult = { claimed: 0, sent: 0, retried: 0, failed: 0, held: 0, skipped: 0, released: 0 };
    const claimedAt = performance.now();
    const rows = await claim();
    result.claimed = rows.length;
    if (rows.length === 0) return result;
    let next = 0;
    const deliverNext = async (): Promise<void> => {
      while (next < rows.length) {
        const row = rows[next++];
        // Stopping, or too little lease left to send safely: hand the row back untouched.
        if (stopping || performance.now() - claimedAt + sendTimeoutMs > leaseMs) {
          await release(row.id);
          result.released++;
          continue;
        }
        // A channel with nothing to send it (WeChat not configured): kept, visibly undelivered.
        const sender = senderOf(row.channel);
        let outcome: DeliveryOutcome;
        try {
          outcome = sender
            ? await withTimeout(sender.send(row, { appUrl: options.appUrl }), sendTimeoutMs)
            : { status: "held", reason: `no ${row.channel} sender configured` };
        } catch (error) {
          result[await markFailure(row, error, isPermanent(error))]++;
          continue;
        }
        if (outcome.status === "sent") {
          await markSent(row.id);
          result.sent++;
        } else {
          await markParked(row.id, outcome);
          result[outcome.status]++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, deliverNext));
    return result;
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return {
    id,
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            const { claimed } = await runOnce();
            if (claimed === 0) await pause(pollMs);
          } catch (error) {
            onError("poll failed", error);
            await pause(pollMs * 5);
          }
        }
      })();
    },
    async stop() {
      running = false;
      stopping = true;
      wake?.();
      await loop;
      mail.close?.();
    },
  };
}

/** The origin links in mail point to. */
export function appUrlFromEnv(): string {
  return linkOrigin();
}

export function mailSettingsFromEnv(): MailSettings {
  const config = env();
  return { appUrl: appUrlFromEnv(), secret: config.SESSION_SECRET, from: config.MAIL_FROM };
}

/** The worker as configured by the environment: SMTP_URL, MAIL_FROM, APP_URL, SESSION_SECRET. */
export function mailWorkerFromEnv(overrides: Partial<WorkerOptions> = {}): MailWorker {
  const config = env();
  return createMailWorker({
    ...mailSettingsFromEnv(),
    transport: config.SMTP_URL ? smtpTransport(config.SMTP_URL) : null,
    ...overrides,
  });
}

/** For the start-up line. */
export function describeMailSetup(): string {
  const url = env().SMTP_URL;
  if (!url) return "held in the database (no SMTP_URL; see /dev/mail)";
  const u = new URL(url);
  return `SMTP ${u.hostname}:${u.port || (u.protocol === "smtps:" ? 465 : 587)}`;
}
