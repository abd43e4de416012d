// The bare equivalents of `npm run bench:load`'s page and payment targets: node:http +
// postgres.js, each route running the statements the app ran for it when this file was written
// (logged from the build with postgres.js's `debug`), and printing the same facts with a template
// string. Like with like: what the app's share of this throughput costs is Express, Remix, React,
// i18n and Drizzle, not the database. The cast's bare handler stays in cast.ts.
// Run as a child process: `bare-pages.ts <port> <database url>`; it sends "ready" over IPC.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import postgres from "postgres";

const escape = (text: unknown) => String(text ?? "").replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head><body><header><a href="/">议事堂</a></header><main>${body}</main></body></html>`;

export function bareServer(url: string, pool = 10) {
  const sql = postgres(url, { max: pool, idle_timeout: 20, onnotice: () => {} });

  /** Session and user (one join, as lucia's adapter does), then the estate and the caller's roles in it. */
  async function access(req: IncomingMessage, slug: string) {
    const sessionId = /(?:^|;\s*)yst_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const [session] = sessionId
      ? await sql`select u.id as user_id, u.display_name, u.locale, s.expires_at from session s join "user" u on u.id = s.user_id where s.id = ${sessionId}`
      : [];
    if (!session || session.expires_at < new Date()) return { status: 302 as const };
    const [estate] =
      await sql`select id, community_id, slug, name, settings, created_at from estate where slug = ${slug}`;
    if (!estate) return { status: 404 as const };
    const roles = await sql`
      select role from membership where user_id = ${session.user_id}
         and (estate_id = ${estate.id} or (community_id = ${estate.community_id} and role = 'community_admin') or (estate_id is null and community_id is null and role = 'platform_admin'))`;
    if (roles.length === 0) return { status: 404 as const };
    return { status: 200 as const, session, estate, roles: roles.map((r) => r.role as string) };
  }
  const unread = async (userId: string) =>
    (await sql`select count(*)::int as n from notification where user_id = ${userId} and read_at is null`)[0]
      .n as number;

  async function estateHome(req: IncomingMessage, res: ServerResponse, slug: string) {
    const a = await access(req, slug);
    if (a.status !== 200) return void res.writeHead(a.status, a.status === 302 ? { Location: "/login" } : {}).end();
    const [n, notices, [b], [u]] = await Promise.all([
      unread(a.session.user_id),
      sql`select id, title, body, published_at from notice where estate_id = ${a.estate.id} order by published_at desc limit 10`,
      sql`select count(*)::int as n from building where estate_id = ${a.estate.id}`,
      sql`select count(*)::int as n from unit where estate_id = ${a.estate.id}`,
    ]);
    const body = `<h1>${escape(a.estate.name)}</h1><p>${b.n} 栋楼，${u.n} 户 · ${n} 条未读</p><ul>${notices.map((x) => `<li><strong>${escape(x.title)}</strong><div>${x.published_at.toISOString()}</div><p>${escape(x.body)}</p></li>`).join("")}</ul>`;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page(a.estate.name, body));
  }

  async function proposalPage(req: IncomingMessage, res: ServerResponse, slug: string, id: string) {
    const a = await access(req, slug);
    if (a.status !== 200) return void res.writeHead(a.status, a.status === 302 ? { Location: "/login" } : {}).end();
    const userId = a.session.user_id;
    const [p] = await sql`select * from proposal where id = ${id} and estate_id = ${a.estate.id}`;
    if (!p) return void res.writeHead(404).end();
    const [files, comments, [ballots], n, mine, grants] = await Promise.all([
      sql`select id, file_name, content_type, size_bytes from voting_file where proposal_id = ${p.id} and estate_id = ${a.estate.id} and kind = 'proposal' order by created_at`,
      sql`select c.id, c.body, c.created_at, u.display_name from proposal_comment c left join "user" u on u.id = c.user_id where c.proposal_id = ${p.id} and c.estate_id = ${a.estate.id} order by c.created_at`,
      sql`select count(*)::int as n from ballot where proposal_id = ${p.id}`,
      unread(userId),
      sql`select id from owner where estate_id = ${a.estate.id} and user_id = ${userId}`,
      sql`select grantor_owner_id from proxy_authorisation where proposal_id = ${p.id} and estate_id = ${a.estate.id} and proxy_user_id = ${userId} and status = 'approved'`,
    ]);
    const ownerIds = [...mine.map((o) => o.id as string), ...grants.map((g) => g.grantor_owner_id as string)];
    const voters =
      await sql`select voter_id, area_centi_sqm, headcount, unit_ids, owner_ids from vote_voter where proposal_id = ${p.id} and estate_id = ${a.estate.id} and owner_ids && ${ownerIds}::uuid[] order by voter_id`;
    const voterIds = voters.map((v) => v.voter_id as string);
    const [unitsOf, cast, paper] = voterIds.length
      ? await Promise.all([
          sql`select voter_id, building_name, unit_number from vote_unit where proposal_id = ${p.id} and voter_id in ${sql(voterIds)} order by building_name, unit_number`,
          sql`select * from ballot where proposal_id = ${p.id} and voter_id in ${sql(voterIds)} order by seq desc`,
          sql`select voter_id, status from paper_ballot where proposal_id = ${p.id} and voter_id in ${sql(voterIds)} and status <> 'rejected'`,
        ])
      : [[], [], []];
    const body = `<h1>${escape(p.title)}</h1><p>${escape(p.status)} · ${p.voting_ends_at.toISOString()} · ${ballots.n} ballots · ${n} unread</p><div>${escape(p.body)}</div>
<ul>${files.map((f) => `<li><a href="/e/${escape(slug)}/proposals/${p.id}/files/${f.id}">${escape(f.file_name)}</a> ${f.size_bytes}</li>`).join("")}</ul>
<ul>${voters
      .map((v) => {
        const current = cast.find((c) => c.voter_id === v.voter_id && !c.superseded);
        const units = unitsOf
          .filter((u) => u.voter_id === v.voter_id)
          .map((u) => `${escape(u.building_name)}-${escape(u.unit_number)}`);
        const onPaper = paper.some((x) => x.voter_id === v.voter_id);
        return `<li>${units.join(", ")} · ${v.area_centi_sqm} · ${current ? `${current.choice} ${current.receipt}` : onPaper ? "paper" : "not cast"}<form method="post"><input type="hidden" name="voterId" value="${v.voter_id}"><button name="choice" value="agree">同意</button><button name="choice" value="oppose">反对</button><button name="choice" value="abstain">弃权</button></form></li>`;
      })
      .join("")}</ul>
<ul>${comments.map((c) => `<li><strong>${escape(c.display_name)}</strong> ${c.created_at.toISOString()}<p>${escape(c.body)}</p></li>`).join("")}</ul>`;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page(p.title, body));
  }

  async function myUnits(estateId: string, userId: string) {
    const [owned, lived] = await Promise.all([
      sql`select distinct u.id, b.name, u.number from ownership o join owner w on w.id = o.owner_id join unit u on u.id = o.unit_id join building b on b.id = u.building_id where o.estate_id = ${estateId} and w.user_id = ${userId}`,
      sql`select distinct u.id, b.name, u.number from resident r join unit u on u.id = r.unit_id join building b on b.id = u.building_id where r.estate_id = ${estateId} and r.user_id = ${userId}`,
    ]);
    return [...owned, ...lived];
  }

  async function myBills(req: IncomingMessage, res: ServerResponse, slug: string) {
    const a = await access(req, slug);
    if (a.status !== 200) return void res.writeHead(a.status, a.status === 302 ? { Location: "/login" } : {}).end();
    const userId = a.session.user_id;
    const [n, units] = await Promise.all([unread(userId), myUnits(a.estate.id, userId)]);
    const unitIds = units.map((u) => u.id as string);
    const [bills, checkouts] = await Promise.all([
      unitIds.length
        ? sql`select b.id, b.unit_id, bd.name, u.number, b.period_key, b.charge, b.basis, b.rate_fen, b.area_centi_sqm, b.months, b.amount_fen, b.due_date, b.status, b.pending_checkout_id, b.paid_at, b.payment_id, p.receipt_no, p.method
                from bill b join unit u on u.id = b.unit_id join building bd on bd.id = b.building_id left join payment p on p.id = b.payment_id
               where b.estate_id = ${a.estate.id} and b.unit_id in ${sql(unitIds)} order by b.period_start desc, bd.name, u.number, b.charge`
        : [],
      sql`select id, url, amount_fen, status, expires_at from checkout where estate_id = ${a.estate.id} and user_id = ${userId} and status in ('creating', 'open') and expires_at > ${new Date()} order by created_at desc`,
    ]);
    const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
    const body = `<h1>我的账单 · ${escape(a.estate.name)}</h1><p>${n} unread · ${checkouts.length} open checkouts</p><table>${bills
      .map(
        (b) =>
          `<tr><td>${escape(b.name)}-${escape(b.number)}</td><td>${b.period_key}</td><td>${b.charge}</td><td>${yuan(b.amount_fen)}</td><td>${b.due_date}</td><td>${b.status}${b.receipt_no ? ` ${escape(b.receipt_no)}` : ""}</td><td>${b.status === "unpaid" ? `<form method="post"><input type="hidden" name="billId" value="${b.id}"><button name="intent" value="pay">缴费</button></form>` : ""}</td></tr>`,
      )
      .join("")}</table>`;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page("我的账单", body));
  }

  /** Starting a payment: the bills locked and marked pending with a checkout in one transaction, then the sandbox's session. */
  async function startPayment(req: IncomingMessage, res: ServerResponse, slug: string) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const a = await access(req, slug);
    if (a.status !== 200) return void res.writeHead(a.status, a.status === 302 ? { Location: "/login" } : {}).end();
    const billIds = form.getAll("billId");
    if (form.get("intent") !== "pay" || billIds.length === 0) return void res.writeHead(400).end();
    const userId = a.session.user_id;
    const estateId = a.estate.id;
    const expiresAt = new Date(Date.now() + 30 * 60_000);
    const started = await sql.begin(async (tx) => {
      const [owned, lived] = await Promise.all([
        tx`select distinct u.id from ownership o join owner w on w.id = o.owner_id join unit u on u.id = o.unit_id join building b on b.id = u.building_id where o.estate_id = ${estateId} and w.user_id = ${userId}`,
        tx`select distinct u.id from resident r join unit u on u.id = r.unit_id join building b on b.id = u.building_id where r.estate_id = ${estateId} and r.user_id = ${userId}`,
      ]);
      const mine = new Set([...owned, ...lived].map((u) => u.id as string));
      const bills =
        await tx`select b.id, b.unit_id, b.status, b.amount_fen, b.period_key, b.charge, bd.name, u.number from bill b join unit u on u.id = b.unit_id join building bd on bd.id = b.building_id where b.estate_id = ${estateId} and b.id in ${tx(billIds)} order by b.id for update of b`;
      if (bills.length !== billIds.length || bills.some((b) => !mine.has(b.unit_id) || b.status !== "unpaid"))
        return null;
      const amount = bills.reduce((s, b) => s + (b.amount_fen as number), 0);
      const [checkout] =
        await tx`insert into checkout (estate_id, user_id, provider, amount_fen, expires_at, created_at) values (${estateId}, ${userId}, 'sandbox', ${amount}, ${expiresAt}, ${new Date()}) returning id`;
      await tx`insert into checkout_bill ${tx(bills.map((b) => ({ checkout_id: checkout.id, bill_id: b.id, estate_id: estateId, amount_fen: b.amount_fen })))}`;
      await tx`update bill set status = 'pending', pending_checkout_id = ${checkout.id} where estate_id = ${estateId} and id in ${tx(billIds)}`;
      return { checkoutId: checkout.id as string, amount, bills };
    });
    if (!started) return void res.writeHead(409).end();
    const id = `cs_sandbox_${randomBytes(12).toString("hex")}`;
    const origin = `http://${req.headers.host}`;
    await sql`insert into sandbox_session (id, estate_id, idempotency_key, client_reference_id, customer_email, amount_total, currency, line_items, metadata, payment_method_types, success_url, cancel_url, expires_at)
      values (${id}, ${estateId}, ${started.checkoutId}, ${userId}, null, ${started.amount}, 'cny', ${sql.json(started.bills.map((b) => ({ name: `${b.period_key} ${b.charge}`, amount: b.amount_fen })))},
              ${sql.json({ checkoutId: started.checkoutId, estateId, billIds: billIds.join(","), nonce: randomUUID() })}, ${["card", "alipay", "wechat_pay"]}, ${`${origin}/e/${slug}/bills?paid=1`}, ${`${origin}/e/${slug}/bills`}, ${expiresAt})
      on conflict (idempotency_key) do nothing`;
    await sql`update checkout set session_id = ${id}, url = ${`/pay/sandbox/${id}`}, status = 'open' where id = ${started.checkoutId} and status = 'creating'`;
    res.writeHead(302, { Location: `/pay/sandbox/${id}` }).end();
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    let m: RegExpExecArray | null;
    let work: Promise<void> | undefined;
    if (req.method === "GET" && (m = /^\/e\/([^/]+)$/.exec(path))) work = estateHome(req, res, m[1]);
    else if (req.method === "GET" && (m = /^\/e\/([^/]+)\/proposals\/([0-9a-f-]{36})$/.exec(path)))
      work = proposalPage(req, res, m[1], m[2]);
    else if (req.method === "GET" && (m = /^\/e\/([^/]+)\/bills$/.exec(path))) work = myBills(req, res, m[1]);
    else if (req.method === "POST" && (m = /^\/e\/([^/]+)\/bills$/.exec(path))) work = startPayment(req, res, m[1]);
    else return void res.writeHead(404).end();
    work.catch((error: unknown) => {
      console.error("bare pages:", error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return { server, close: () => sql.end({ timeout: 5 }) };
}

if (process.argv[1]?.endsWith("bare-pages.ts") && process.argv[2]) {
  const { server } = bareServer(process.argv[3], Number(process.env.POOL ?? 10));
  server.listen(Number(process.argv[2]), "127.0.0.1", () => process.send?.("ready"));
}
