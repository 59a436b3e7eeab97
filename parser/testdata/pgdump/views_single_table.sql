-- Views over one table, hand-written: pg_dump prints them with every column
-- qualified (users.id), * expanded, and the casts the server adds
-- (lower((users.email)::text), status <> 'cancelled'::text); the view over a
-- join keeps its aliases as written.
CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email varchar(200), active boolean NOT NULL DEFAULT true, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, total numeric(10,2) NOT NULL, status text NOT NULL);
CREATE VIEW active_users AS SELECT id, name, email FROM users WHERE active;
CREATE VIEW user_totals AS SELECT u.id, u.name, sum(o.total) AS total FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id, u.name;
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100 AND status <> 'cancelled';
CREATE VIEW recent AS SELECT id, lower(email) AS email FROM users WHERE created_at > now() - interval '7 days' ORDER BY created_at DESC;
-- Comments on the columns of a view and a materialized view (pg_dump writes them after each).
COMMENT ON COLUMN active_users.email IS 'where we write';
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
COMMENT ON COLUMN order_totals.total IS 'summed, with a '' quote
and a new line';
COMMENT ON COLUMN order_totals.user_id IS 'dropped again';
COMMENT ON COLUMN order_totals.user_id IS NULL;
