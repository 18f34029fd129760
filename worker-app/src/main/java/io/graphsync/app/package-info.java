/**
 * The Spring Boot application ({@link io.graphsync.app.GraphsyncApplication}) and its top-level settings; worker
 * registration is declared in application.yml. One sub-package per feature, each with its own configuration and
 * properties: {@code sync}, {@code backfill}, {@code reconcile}, {@code resolve}, {@code backflow},
 * {@code retention}, {@code health}, {@code postgres}, {@code encryption}, {@code security}, {@code codec}.
 */
package io.graphsync.app;
