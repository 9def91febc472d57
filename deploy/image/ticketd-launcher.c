/*
 * ticketd: the image's ENTRYPOINT. Runs the JVM on the service with the image's defaults, then the
 * words of TICKETD_JAVA_OPTS (split at blanks, as bin/ticketd's shell does; no quoting), then the
 * arguments. A small program instead of a shell script so that the image needs no shell.
 * The JVM replaces this process (execv), so it is PID 1 and gets SIGTERM itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JAVA "/opt/java/bin/java"
#define MAX_OPTS 256

static const char *const DEFAULTS[] = {
    /* Container-aware heap: a share of the memory limit, not of the host's memory. */
    "-XX:MaxRAMPercentage=75",
    /* A JVM that ran out of memory is restarted by its supervisor, not left half-alive. */
    "-XX:+ExitOnOutOfMemoryError",
    /* No hsperfdata file: the root file system is read-only and nothing in the image reads it. */
    "-XX:-UsePerfData",
    "--enable-native-access=ALL-UNNAMED",
    "-cp", "/opt/ticketd/app/*:/opt/ticketd/lib/*",
};
/* G1 whatever the memory limit: under 1792 MB the JVM would pick Serial, whose young collections
   copy the replay guard's 20 MiB table pages (33 ms pauses at 768 MB; README "Growth without a
   stop"). Left out when TICKETD_JAVA_OPTS picks a collector itself: the JVM refuses two. */
static const char *const DEFAULT_GC = "-XX:+UseG1GC";
static const char *const MAIN = "dev.ticketoffload.server.Ticketd";

/* Whether the options hold a -XX:+Use...GC word. */
static int picks_collector(const char *opts) {
  for (const char *p = strstr(opts, "-XX:+Use"); p != NULL; p = strstr(p + 1, "-XX:+Use")) {
    const char *end = p + strcspn(p, " \t\n");
    if (end - p > 10 && strncmp(end - 2, "GC", 2) == 0) {
      return 1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  size_t defaults = sizeof DEFAULTS / sizeof DEFAULTS[0];
  char **args = calloc(defaults + 1 + MAX_OPTS + (size_t)argc + 2, sizeof(char *));
  if (args == NULL) {
    perror("ticketd");
    return 2;
  }
  size_t n = 0;
  args[n++] = JAVA;
  for (size_t i = 0; i < defaults; i++) {
    args[n++] = (char *)DEFAULTS[i];
  }
  const char *opts = getenv("TICKETD_JAVA_OPTS");
  if (opts == NULL || !picks_collector(opts)) {
    args[n++] = (char *)DEFAULT_GC;
  }
  if (opts != NULL) {
    char *copy = strdup(opts);
    size_t words = 0;
    for (char *w = strtok(copy, " \t\n"); w != NULL; w = strtok(NULL, " \t\n")) {
      if (++words > MAX_OPTS) {
        fprintf(stderr, "ticketd: TICKETD_JAVA_OPTS has more than %d words\n", MAX_OPTS);
        return 2;
      }
      args[n++] = w;
    }
  }
  args[n++] = (char *)MAIN;
  for (int i = 1; i < argc; i++) {
    args[n++] = argv[i];
  }
  args[n] = NULL;
  execv(JAVA, args);
  fprintf(stderr, "ticketd: cannot run %s: %s\n", JAVA, strerror(errno));
  return 127;
}
