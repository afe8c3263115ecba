package io.phantomdb;

import io.phantomdb.catalog.DataType;

/** One column of a result: its name, SQL type and whether it may hold NULL. */
public record Column(String name, DataType type, boolean nullable) {}
