-- Provisions one service's schema and login role; run as a superuser, once per service:
--   psql -v service=document -v password='…' -f deploy/postgres/provision.sql
-- The role owns its schema and has no rights on any other: each service sees only its own tables.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', 'cchc_' || :'service', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cchc_' || :'service') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', 'cchc_' || :'service', :'password') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'service', 'cchc_' || :'service') \gexec
SELECT format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', :'service') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), 'cchc_' || :'service') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Every statement, lock wait and open transaction of the service is bounded: a stuck query or a forgotten
-- transaction ends with an error instead of holding connections and locks. The services' migrations lift the
-- first two for their own session. Change them per role with ALTER ROLE … SET.
SELECT format('ALTER ROLE %I SET statement_timeout = %L', 'cchc_' || :'service', '15s') \gexec
SELECT format('ALTER ROLE %I SET lock_timeout = %L', 'cchc_' || :'service', '5s') \gexec
SELECT format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', 'cchc_' || :'service', '60s') \gexec
