/*
 * The pod sandbox's process of jack's one-node cluster (the image that containerd's sandbox_image
 * names): it holds the pod's namespaces open, reaps the zombies that a shared PID namespace hands
 * it, and exits when the runtime stops the sandbox. testenv/install-node.sh builds it statically.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) {
  (void)sig;
  _exit(0);
}

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

static void on(int sig, void (*handler)(int)) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  action.sa_flags = SA_RESTART;
  sigaction(sig, &action, NULL);
}

int main(void) {
  on(SIGTERM, stop);
  on(SIGINT, stop);
  on(SIGCHLD, reap);
  for (;;) {
    pause();
  }
  return EXIT_SUCCESS;
}
