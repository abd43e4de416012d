import postgres from "postgres";

/**
 * SQL on the e2e server's own database (scripts/e2e-server.mjs: yst_e2e_<port> on
 * DATABASE_URL's server), for what a browser test cannot wait for: a comment period or a
 * voting window running out. Only on PostgreSQL; on PGlite the tests that need it skip.
 */
export const canMoveTime = Boolean(process.env.DATABASE_URL);

export async function withE2eDb<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/yst_e2e_${process.env.E2E_PORT ?? 3210}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}
