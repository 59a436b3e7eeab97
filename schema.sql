-- Bookstore example schema, kept in sync with migrations/ by `ddlmig check` in CI.
-- Edit this file, run `ddlmig generate -m "what changed"`, review, commit.

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE authors (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    born       date,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE books (
    id        bigserial PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES authors ON DELETE CASCADE,
    title     varchar(300) NOT NULL,
    isbn      char(13) UNIQUE,
    price     numeric(10,2) NOT NULL CHECK (price >= 0),
    published date
);

CREATE INDEX books_author_id_idx ON books (author_id);

CREATE TABLE customers (
    id         bigserial PRIMARY KEY,
    full_name  text NOT NULL,
    email      text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));

COMMENT ON COLUMN customers.email IS 'Login and receipts; unique regardless of case.';

CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers,
    status      order_status NOT NULL DEFAULT 'pending',
    placed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_open_idx ON orders (customer_id) WHERE status IN ('pending', 'paid');

CREATE TABLE order_items (
    order_id bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
    book_id  bigint NOT NULL REFERENCES books,
    quantity integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
    price    numeric(10,2) NOT NULL,
    PRIMARY KEY (order_id, book_id)
);
