-- Extended statistics, modelled: pg_dump's CREATE STATISTICS (kinds in
-- its order, all three left out, columns in table order), ALTER
-- STATISTICS and COMMENT ON STATISTICS give the same catalog as the
-- hand-written ones.
CREATE TABLE addresses (id bigint NOT NULL, city text, zip text);
CREATE STATISTICS addresses_city_zip (dependencies, ndistinct) ON city, zip FROM addresses;
ALTER STATISTICS addresses_city_zip SET STATISTICS 500;
COMMENT ON STATISTICS addresses_city_zip IS 'city and zip go together';
CREATE STATISTICS addresses_lower_city ON lower(city), zip FROM addresses;
CREATE STATISTICS addresses_all (mcv, ndistinct, dependencies) ON zip, id FROM addresses;
CREATE SCHEMA stats;
CREATE STATISTICS stats.addr_mcv (mcv) ON (city || zip), id FROM addresses;
