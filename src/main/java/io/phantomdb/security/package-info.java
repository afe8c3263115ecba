/**
 * Users, roles and privileges (docs/security.md): roles with SCRAM-SHA-256 verifiers (never plain passwords),
 * GRANT/REVOKE of table and schema privileges, table ownership, the bootstrap superuser, and the checks that
 * give 42501. Stored durably in the system partition (docs/formats/security.md).
 *
 * <p>Entry class: {@link io.phantomdb.security.Security} (authentication for pgwire/HTTP, privilege checks for
 * SQL sessions, role and privilege statements parsed by {@link io.phantomdb.security.AccessParser}).
 *
 * <p>Rank 5: may import catalog, partition, txn, storage and the leaves (error, config); never exec, sql or
 * anything above (the SQL layer calls in, see sql.AccessChecks).
 */
package io.phantomdb.security;
