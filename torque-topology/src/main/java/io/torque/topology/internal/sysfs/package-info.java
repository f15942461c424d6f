/**
 * Detection from Linux sysfs and procfs under a root folder (live {@code /} or an unpacked
 * snapshot), one reader per concern. Every missing file degrades one fact and leaves a note;
 * nothing here throws for a machine's oddities, only for a root that is not Linux at all.
 */
package io.torque.topology.internal.sysfs;
