/**
 * libtorque's scheduling universe: levels of CPU groups from SMT siblings out to the machine,
 * and the topological distance between two CPUs that the dispatcher prefers small.
 */
package io.torque.topology.levels;
