package io.torque.core.net;

/**
 * The process at the other end of a Unix domain socket, as the kernel saw it when the connection
 * was made ({@code SO_PEERCRED}).
 *
 * @param pid its process id
 * @param uid its user id
 * @param gid its group id
 */
public record PeerCredentials(long pid, long uid, long gid) {
}
