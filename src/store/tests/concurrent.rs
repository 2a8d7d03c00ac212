//! Concurrent writers on one PostgreSQL.
