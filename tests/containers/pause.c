/* pause.c: the only program of the ctit.local/pause sandbox image.
 * Sleeps until SIGINT or SIGTERM and reaps any child that gets re-parented to it,
 * which is all a Pod sandbox's first process has to do. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) { (void)sig; _exit(0); }

static void on_child(int sig)
{
    (void)sig;
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
}

int main(void)
{
    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
    signal(SIGCHLD, on_child);
    for (;;)
        pause();
}
