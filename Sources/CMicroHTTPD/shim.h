#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

// Swift cannot call C variadic functions, so the few variadic entry points of libmicrohttpd the
// server needs are wrapped here with fixed parameter lists.

/// Leaves percent escapes in the path and query as they arrived: HTTPServer decodes each path
/// segment and query item itself, so an encoded '/' stays inside its segment and a malformed
/// escape becomes a 400 instead of being silently passed on.
static inline size_t rebate_mhd_keep_escapes(void *context, struct MHD_Connection *connection,
                                             char *text) {
  (void)context;
  (void)connection;
  return strlen(text);
}

/// Starts a daemon with the options HTTPServer uses. `bind_address` is an IPv4 socket address
/// (port 0 asks the kernel for an ephemeral port).
/// Accept policy: while `*draining` is set, every new connection is closed as soon as it is
/// accepted. Graceful shutdown uses this instead of MHD_quiesce_daemon, which races with the
/// polling thread in libmicrohttpd 0.9.75 (it panics: "Failed to remove listen FD from epoll set").
static inline enum MHD_Result rebate_mhd_accept_policy(
    void *draining, const struct sockaddr *address, socklen_t address_length) {
  (void)address;
  (void)address_length;
  return __atomic_load_n((const int *)draining, __ATOMIC_ACQUIRE) ? MHD_NO : MHD_YES;
}

static inline void rebate_mhd_set_draining(int *draining) {
  __atomic_store_n(draining, 1, __ATOMIC_RELEASE);
}

static inline struct MHD_Daemon *rebate_mhd_start(
    unsigned int flags, const struct sockaddr_in *bind_address, int *draining,
    MHD_AccessHandlerCallback access_handler, void *access_context,
    MHD_RequestCompletedCallback completed_handler, void *completed_context,
    unsigned int thread_pool_size, unsigned int connection_limit,
    unsigned int idle_timeout_seconds, size_t connection_memory_bytes,
    unsigned int listen_backlog) {
  return MHD_start_daemon(
      flags, ntohs(bind_address->sin_port), rebate_mhd_accept_policy, draining, access_handler,
      access_context,
      MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)bind_address,
      MHD_OPTION_NOTIFY_COMPLETED, completed_handler, completed_context,
      MHD_OPTION_UNESCAPE_CALLBACK, rebate_mhd_keep_escapes, NULL,
      MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
      MHD_OPTION_CONNECTION_LIMIT, connection_limit,
      MHD_OPTION_CONNECTION_TIMEOUT, idle_timeout_seconds,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_bytes,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, listen_backlog,
      MHD_OPTION_END);
}

/// The port the daemon listens on, or 0 when unknown.
static inline uint16_t rebate_mhd_bound_port(struct MHD_Daemon *daemon) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  return info == NULL ? 0 : info->port;
}

/// Writes the client's numeric address into `buffer` (empty when unknown).
static inline void rebate_mhd_client_address(
    struct MHD_Connection *connection, char *buffer, socklen_t buffer_size) {
  buffer[0] = '\0';
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == NULL || info->client_addr == NULL) return;
  const struct sockaddr *address = info->client_addr;
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, buffer, buffer_size);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)address)->sin6_addr, buffer, buffer_size);
  }
}
