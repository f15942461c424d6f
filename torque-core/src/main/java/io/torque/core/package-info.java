/**
 * The torque context: one pinned epoll event loop per usable processing element, the sources
 * registered with it and the dispatcher that balances them. Under construction; see the
 * project's issues.
 */
package io.torque.core;
