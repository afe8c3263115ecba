package io.phantomdb.sql.slt;

/**
 * One {@code skipif <engine>} or {@code onlyif <engine>} line in front of a record. Anything after the
 * engine name is a comment and is not kept.
 *
 * @param onlyIf true for {@code onlyif}, false for {@code skipif}
 * @param engine the engine named by the line, e.g. {@code postgresql}
 * @param line   1-based line number of the condition in its file
 */
public record SltCondition(boolean onlyIf, String engine, int line) {

    /** Whether this condition lets the record run when the runner's profile is {@code profile}. */
    public boolean allows(String profile) {
        boolean named = engine.equalsIgnoreCase(profile);
        return onlyIf ? named : !named;
    }
}
