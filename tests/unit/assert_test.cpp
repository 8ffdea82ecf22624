// KDSIM_ASSERT: a bug ends the process with the message and exit status 4 (kdsim's internal
// error, sim/exit_codes.h), not SIGABRT. Run in a child so the test process survives it.
#include "machine/assert.h"
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include <string>

TEST_CASE("KDSIM_ASSERT: a failed assertion exits 4 with the condition and message on stderr") {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    const int answer = 41;
    KDSIM_ASSERT(answer == 42, "answer is {}", answer);
    _exit(0);  // not reached
  }
  close(pipe_fds[1]);
  std::string err;
  char buf[256];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;) err.append(buf, static_cast<size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 4);
  CHECK(err.find("kdsim internal error at") != std::string::npos);
  CHECK(err.find("answer == 42: answer is 41") != std::string::npos);
}
