/*
 * Runs ClickHouse (clickhouse-local inside chDB's libchdb.so) as a server process.
 *
 * usage: chdb-server /path/to/libchdb.so <clickhouse-local arguments...>
 *
 * chDB exports chdb_query_cmdline(argc, argv), which behaves like `clickhouse local <args>`.
 * infra/local-stack passes --listen_host/--http_port/--tcp_port and a query that starts the
 * listeners and then never ends, so the process serves ClickHouse's HTTP and native protocols
 * until it receives SIGTERM. The library is loaded with dlopen because its path is only known
 * after the npm package has been fetched into the cache directory.
 */
#include <dlfcn.h>
#include <stdio.h>

typedef void *(*query_cmdline_fn)(int argc, char **argv);
typedef const char *(*result_error_fn)(void *result);

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s /path/to/libchdb.so <clickhouse-local arguments...>\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) {
        fprintf(stderr, "chdb-server: cannot load %s: %s\n", argv[1], dlerror());
        return 1;
    }
    query_cmdline_fn query_cmdline = (query_cmdline_fn) dlsym(lib, "chdb_query_cmdline");
    result_error_fn result_error = (result_error_fn) dlsym(lib, "chdb_result_error");
    if (query_cmdline == NULL) {
        fprintf(stderr, "chdb-server: %s has no chdb_query_cmdline: %s\n", argv[1], dlerror());
        return 1;
    }
    /* argv[1] becomes argv[0] ("program name") for clickhouse-local. */
    void *result = query_cmdline(argc - 1, argv + 1);
    const char *error = (result != NULL && result_error != NULL) ? result_error(result) : NULL;
    if (error != NULL && error[0] != '\0') {
        fprintf(stderr, "chdb-server: ClickHouse stopped: %s\n", error);
        return 1;
    }
    fprintf(stderr, "chdb-server: ClickHouse query ended; the server is stopping\n");
    return 0;
}
