/**
 * The contract and the orchestration: payload records, workflow interfaces and implementations, activity
 * interfaces, activity options, task queues and search-attribute keys. Workflow code here is deterministic: only
 * {@code Workflow.*} APIs, no I/O, clocks, randomness or threads.
 */
package io.graphsync.workflows;
