/**
 * Users, roles and privileges: roles with SCRAM-SHA-256 verifiers (never plain passwords), GRANT/REVOKE of
 * table and schema privileges, and the checks that give 42501. Stored durably in the system partition.
 */
package io.phantomdb.security;
