-- Tables made from queries: the server names and types their columns,
-- the fold must name and type them alike offline.
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE person (
    id serial PRIMARY KEY,
    name varchar(20) NOT NULL,
    bio text COLLATE "C",
    m mood DEFAULT 'sad',
    score smallint,
    karma bigint,
    ratio real,
    price numeric(10, 2),
    published timestamp NOT NULL DEFAULT now(),
    seen timestamptz,
    born date,
    tags text[]
);
CREATE TABLE post (id int, creator_id int, score int, body text);
CREATE FUNCTION hot_rank(score numeric, published timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE VIEW person_view AS SELECT id, name, karma AS posts FROM person;

CREATE TABLE person_fast AS SELECT * FROM person_view;
ALTER TABLE person_fast ADD PRIMARY KEY (id);
CREATE INDEX idx_person_fast_name ON person_fast (name);

CREATE TABLE person_copy AS SELECT * FROM person WITH NO DATA;
CREATE TABLE IF NOT EXISTS person_copy AS SELECT 1;
CREATE UNLOGGED TABLE numbers (a, b) AS SELECT score, karma, ratio FROM person;
CREATE TABLE exprs AS
SELECT
    p.id + 1 AS next_id,
    p.score + p.score AS two_scores,
    p.karma * 2,
    p.price * 2 AS twice,
    p.ratio * 2.5 AS scaled,
    -p.karma AS neg,
    p.name || '!' AS shout,
    upper(p.name),
    length(p.bio),
    p.bio,
    p.m,
    p.tags,
    p.tags[1] AS first_tag,
    p.published - p.seen::timestamp AS age_then,
    p.published + interval '1 day' AS tomorrow,
    p.born + 1 AS next_day,
    p.seen IS NULL AS unseen,
    p.id IN (1, 2) AS early,
    p.name LIKE 'a%' AS a_name,
    NOT p.id > 3 AS small,
    CASE WHEN p.score > 0 THEN p.score ELSE 0 END AS pos_score,
    CASE WHEN p.score > 0 THEN 'up' ELSE 'down' END AS direction,
    greatest(p.score, p.karma) AS most,
    nullif(p.score, 0) AS nz,
    hot_rank(p.karma, p.published) AS rank,
    'x' AS literal,
    NULL AS nothing,
    1.5 AS onehalf,
    3000000000 AS big,
    true AS yes,
    now(),
    CURRENT_DATE,
    CURRENT_TIMESTAMP AS ts,
    p.score::bigint,
    '12'::int2 AS small_lit,
    (SELECT max(x.score) FROM post x WHERE x.creator_id = p.id) AS best,
    EXISTS (SELECT 1 FROM post x WHERE x.creator_id = p.id) AS posted,
    ARRAY[p.score, p.karma] AS both_scores,
    ARRAY(SELECT x.body FROM post x) AS bodies
FROM person p;
CREATE TABLE aggs AS
SELECT
    creator_id,
    count(*) AS n,
    sum(score) AS total,
    sum(score) FILTER (WHERE score = 1) AS ups,
    avg(score) AS mean,
    max(body) AS last_body,
    min(id),
    array_agg(id) AS ids,
    string_agg(body, ',') AS bodies,
    bool_and(score > 0) AS all_up
FROM post
GROUP BY creator_id;
CREATE TABLE unioned AS
SELECT id, name, NULL AS note, score FROM person
UNION ALL
SELECT id, body, 'n', karma FROM (SELECT p.id, x.body, p.karma FROM person p JOIN post x ON x.creator_id = p.id) j;
CREATE TABLE ctes AS
WITH top AS (SELECT creator_id AS who, sum(score) AS s FROM post GROUP BY 1)
SELECT t.who, t.s, v.name FROM top t CROSS JOIN LATERAL (SELECT name FROM person WHERE id = t.who) v;
CREATE TABLE vals AS VALUES (1, 'a', NULL), (2, 'b', 1.5);
SELECT id, name AS title INTO person_titles FROM person;
SELECT * INTO TEMP person_temp FROM person;
