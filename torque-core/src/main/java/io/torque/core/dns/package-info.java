/**
 * Asynchronous DNS on torque's loops: {@link io.torque.core.dns.Resolver}, from
 * {@link io.torque.core.Torque#resolver()}, on Netty's {@code netty-resolver-dns}.
 */
package io.torque.core.dns;
