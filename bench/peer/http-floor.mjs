// The floor over HTTP: the floor's own SQL behind the least an HTTP service can be — node:http, one
// pg query, JSON.stringify of the rows. It prices the hop every HTTP server pays and the SQL floor
// (measured inside the bench process) does not: one more process, two more socket writes and
// wake-ups per request. Nothing else: no parsing beyond JSON, no authentication, no validation.
// POST {"query": "<SQL>", "variables": {"values": [...]}} → {"data": [rows]}; the bench's GraphQL
// client speaks this shape already. With "variables": {"values": [...], "statements": ["<SQL>", …]}
// the statements run in turn on one connection with the same values → {"data": [[rows], [rows], …]}
// (a trace's header, then its steps, as the tree's floor does).
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
pool.on('error', () => {});

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    let text;
    try {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const values = variables?.values ?? [];
      if (Array.isArray(variables?.statements)) {
        const client = await pool.connect();
        try {
          const data = [];
          for (const statement of variables.statements) data.push((await client.query(statement, values)).rows);
          text = JSON.stringify({ data });
        } finally {
          client.release();
        }
      } else {
        const { rows } = await pool.query(query, values);
        text = JSON.stringify({ data: rows });
      }
    } catch (error) {
      text = JSON.stringify({ errors: [{ message: String(error?.message ?? error) }] });
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`HTTP floor: http://127.0.0.1:${server.address().port}/sql`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
