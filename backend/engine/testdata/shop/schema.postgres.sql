CREATE TABLE author (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE
);
CREATE TABLE article (
  id serial PRIMARY KEY,
  author_id integer NOT NULL REFERENCES author(id),
  title text NOT NULL,
  rating integer,
  price numeric,
  published boolean NOT NULL DEFAULT false,
  tags jsonb
);
INSERT INTO author (name) VALUES ('Ann'), ('Ben'), ('Cid');
INSERT INTO article (author_id, title, rating, price, published, tags) VALUES
  (1, 'a1', 5, 10.5, true, '{"topic": "go", "level": 2}'),
  (1, 'a2', 3, 20, false, '{"topic": "sql"}'),
  (2, 'b1', 4, 5.25, true, '["x", "y"]'),
  (2, 'b2', NULL, NULL, true, NULL),
  (3, 'c1', 1, 1, false, '{"topic": "go"}');
