package io.phantomdb.security;

/**
 * A role as stored under {@code ("role", name)} in the system partition (JSON, docs/formats/security.md).
 * {@code verifier} is the SCRAM-SHA-256 verifier text ({@link ScramVerifier#encoded()}), or null when the role
 * has no password; the password itself is never stored.
 */
record RoleRecord(int oid, String name, boolean superuser, boolean login, String verifier) {

    RoleInfo info() {
        return new RoleInfo(oid, name, superuser, login);
    }

    RoleRecord with(boolean superuser, boolean login, String verifier) {
        return new RoleRecord(oid, name, superuser, login, verifier);
    }

    @Override
    public String toString() { // the verifier is key material
        return "RoleRecord[" + oid + ", " + name + ", superuser=" + superuser + ", login=" + login + "]";
    }
}
