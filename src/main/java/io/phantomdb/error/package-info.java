/**
 * Error codes (PostgreSQL SQLSTATEs) and the exception that carries them to every interface. A leaf:
 * any layer above storage may import it; it imports nothing of Phantom-DB. Entry: {@link io.phantomdb.error.SqlState}.
 */
package io.phantomdb.error;
