/** inotify through JNA, its fd on a loop. Internal API. */
package io.torque.core.internal.watch;
