/** The resolver on Netty's netty-resolver-dns, driven by a torque loop. Internal API. */
package io.torque.core.internal.dns;
