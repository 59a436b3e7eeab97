-- Extended statistics: not managed, skipped with a warning; pg_dump's
-- CREATE STATISTICS, ALTER STATISTICS and COMMENT ON STATISTICS must still fold.
CREATE TABLE addresses (id bigint NOT NULL, city text, zip text);
CREATE STATISTICS addresses_city_zip (dependencies, ndistinct) ON city, zip FROM addresses;
ALTER STATISTICS addresses_city_zip SET STATISTICS 500;
COMMENT ON STATISTICS addresses_city_zip IS 'city and zip go together';
CREATE STATISTICS addresses_lower_city ON lower(city), zip FROM addresses;
