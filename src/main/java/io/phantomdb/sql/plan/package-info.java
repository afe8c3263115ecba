/**
 * Physical planning: optimized logical plans become trees of {@link io.phantomdb.sql.plan.PlanNode}s that build
 * exec operators; access-path (index) choice and join algorithm choice live here. May import exec, catalog and
 * below. Entry: {@link io.phantomdb.sql.plan.PhysicalPlanner}.
 */
package io.phantomdb.sql.plan;
