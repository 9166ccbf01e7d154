/* Short-lived clients for the command-line tests (tests/tests/cmdline.rs).
 *
 * With FE_SEND=1 in its environment the program sends one UDP datagram to 127.0.0.1:$FE_PORT
 * and exits: that is the short-lived client. Otherwise argv[1] says what to start:
 *
 *   forkexec churn N PERIOD_US  N clients, one every PERIOD_US, each fork + execl(self, self,
 *                               "once", "arg2", "arg3"): string literals in read-only data,
 *                               which a freshly forked child has no page table entries for
 *   forkexec paths SCRIPT       one client per way of exec'ing: execve, execveat, fexecve,
 *                               SCRIPT (a "#!" script whose interpreter is this program),
 *                               and one with 5000 bytes of arguments (cut at 4096)
 *   forkexec hostile PATH       one client exec'd through PATH (a link to this program whose
 *                               name holds an ESC) with ESC, BEL, a newline and bytes that are
 *                               not UTF-8 in its arguments; it renames its thread (comm) to
 *                               such bytes too before sending
 *
 * For every client it prints "LABEL PID" on stdout once the client has exited.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int send_one(void) {
    const char *port = getenv("FE_PORT");
    if (getenv("FE_HOSTILE_COMM"))
        prctl(PR_SET_NAME, "\x1b[2J\n\x07\xff", 0, 0, 0);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port ? atoi(port) : 9);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof a) != 1)
        return 1;
    return 0;
}

static void report(const char *label, pid_t pid) {
    int st = 0;
    waitpid(pid, &st, 0);
    printf("%s %d\n", label, (int)pid);
    fflush(stdout);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "%s client %d failed (status %d)\n", label, (int)pid, st);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (getenv("FE_SEND"))
        return send_one();
    if (argc < 3)
        return 2;
    const char *self = argv[0];
    if (strcmp(argv[1], "churn") == 0) {
        int n = atoi(argv[2]);
        useconds_t period = argc > 3 ? (useconds_t)atoi(argv[3]) : 10000;
        setenv("FE_SEND", "1", 1);
        for (int i = 0; i < n; i++) {
            pid_t p = fork();
            if (p == 0) {
                execl(self, self, "once", "arg2", "arg3", (char *)NULL);
                _exit(127);
            }
            report("churn", p);
            usleep(period);
        }
        return 0;
    }
    if (strcmp(argv[1], "paths") == 0) {
        const char *script = argv[2];
        setenv("FE_SEND", "1", 1);
        pid_t p;

        if ((p = fork()) == 0) {
            char *const av[] = {(char *)self, "execve", "arg2", "arg3", NULL};
            execve(self, av, environ);
            _exit(127);
        }
        report("execve", p);

        if ((p = fork()) == 0) {
            char *const av[] = {(char *)self, "execveat", "arg2", "arg3", NULL};
            syscall(SYS_execveat, AT_FDCWD, self, av, environ, 0);
            _exit(127);
        }
        report("execveat", p);

        if ((p = fork()) == 0) {
            char *const av[] = {(char *)self, "fexecve", "arg2", "arg3", NULL};
            int fd = open(self, O_RDONLY | O_CLOEXEC);
            fexecve(fd, av, environ);
            _exit(127);
        }
        report("fexecve", p);

        if ((p = fork()) == 0) {
            char *const av[] = {(char *)script, "script", "arg2", "arg3", NULL};
            execve(script, av, environ);
            _exit(127);
        }
        report("script", p);

        static char big[5001];
        memset(big, 'a', 5000);
        if ((p = fork()) == 0) {
            char *const av[] = {(char *)self, "long", big, NULL};
            execve(self, av, environ);
            _exit(127);
        }
        report("long", p);
        return 0;
    }
    if (strcmp(argv[1], "hostile") == 0) {
        setenv("FE_SEND", "1", 1);
        setenv("FE_HOSTILE_COMM", "1", 1);
        pid_t p = fork();
        if (p == 0) {
            execl(argv[2], "\x1b]0;pwned\x07", "a\nb", "\xff\xfe", (char *)NULL);
            _exit(127);
        }
        report("hostile", p);
        return 0;
    }
    return 2;
}
